// The figures a page can embed alone (?embed=<view>): their names, which data they show, and the message
// for a name that does not fit. Pure, so the rules are unit-tested without a page.
import type { DatasetName } from '../../core/config';
import { EMBED_KEY } from '../../state/pageParams';

export type DataKind = '2d' | 'image';

/** Name -> the data it is drawn for. The names are the views' own ids on the page. */
export const EMBED_VIEWS_2D = ['samples', 'consistency', 'scrubber', 'flowmap', 'loss', 'quality', 'schedule'] as const;
export const EMBED_VIEWS_IMAGE = ['digits', 'trajectory-strip', 'denoise', 'loss', 'digit-quality'] as const;
export type EmbedName = (typeof EMBED_VIEWS_2D)[number] | (typeof EMBED_VIEWS_IMAGE)[number];

export const dataKindOf = (dataset: DatasetName): DataKind => (dataset === 'mnist' ? 'image' : '2d');

const namesFor = (kind: DataKind): readonly string[] => (kind === 'image' ? EMBED_VIEWS_IMAGE : EMBED_VIEWS_2D);

/** The raw `embed` parameter of a query string, or null when the page is not embedded. */
export function embedParam(search: string): string | null {
  return new URLSearchParams(search.startsWith('?') ? search.slice(1) : search).get(EMBED_KEY);
}

export type EmbedChoice = { ok: true; name: EmbedName } | { ok: false; message: string };

/** Whether `raw` names a view for this dataset; otherwise a message that lists the valid names. */
export function resolveEmbed(raw: string, dataset: DatasetName): EmbedChoice {
  const name = raw.trim().toLowerCase();
  const kind = dataKindOf(dataset);
  if (namesFor(kind).includes(name)) return { ok: true, name: name as EmbedName };
  const list2d = EMBED_VIEWS_2D.join(', ');
  const listImage = EMBED_VIEWS_IMAGE.join(', ');
  if (kind === 'image' && name === 'flowmap') {
    return { ok: false, message: `The flow-map error view needs the exact PF-ODE map, which exists for the 2D mixtures (presets and drawn points) only: MNIST is not a known mixture. Views for MNIST: ${listImage}.` };
  }
  if (kind === 'image' && (EMBED_VIEWS_2D as readonly string[]).includes(name)) {
    return { ok: false, message: `The view "${name}" is drawn for 2D data, and this link trains on MNIST. Views for MNIST: ${listImage}.` };
  }
  if (kind === '2d' && (EMBED_VIEWS_IMAGE as readonly string[]).includes(name)) {
    return { ok: false, message: `The view "${name}" is drawn for MNIST digits: add d=mnist to the link. Views for 2D data: ${list2d}.` };
  }
  const what = name === '' ? 'The embed parameter names no view.' : `There is no view called "${raw.slice(0, 40)}".`;
  return { ok: false, message: `${what} Valid views for 2D data: ${list2d}; for MNIST (with d=mnist): ${listImage}.` };
}
