// Assemble LPIPS weights from whatever files the user has: lin layers and backbone may come in separate
// files or one, in any supported container, under torchvision, LPIPS or bundle key prefixes. Each file
// is recognised by its tensor names and shapes; its hash only decides the "verified" label.

import { sha256Hex } from '../io/sha256';
import { type HostTensor, toFloat32 } from '../io/tensor';
import { type WeightFormat, readWeightFile } from '../io/weightFile';
import { KNOWN_LPIPS_FILES } from './knownFiles';
import type { LpipsWeights } from './metric';
import { LPIPS_NETS, type LpipsNet, NET_SPECS } from './nets';

export type LpipsPart = 'lin' | 'backbone';

export interface WeightFileReport {
  /** Position in the input list. */
  index: number;
  format: WeightFormat;
  sha256?: string;
  /** Known file this hash belongs to, if any. */
  knownAs?: string;
  verified: boolean;
  provides: LpipsPart[];
  net: LpipsNet | null;
  /** Why the file could not be used (unreadable, wrong shapes, other backbone...). */
  problem?: string;
}

export interface LpipsWeightsStatus {
  /** The backbone family the loaded parts belong to (null until something was recognised). */
  net: LpipsNet | null;
  /** Backbone parameters under canonical `features` keys ('0.weight', '3.squeeze.weight', ...). */
  backbone: Map<string, HostTensor> | null;
  lin: Float32Array[] | null;
  missing: LpipsPart[];
  /** Every part in use came from a file with a known SHA-256. */
  verified: boolean;
  files: WeightFileReport[];
  /** e.g. "lin loaded; backbone still needed". */
  summary: string;
  /** Ready-to-use weights once nothing is missing. */
  weights: LpipsWeights | null;
}

export interface WeightPartInput {
  tensors: Map<string, HostTensor>;
  sha256?: string;
  format?: WeightFormat;
}

export interface AssembleOptions {
  /** Use only files for this backbone (others are reported, not used); default: the one most files agree on. */
  net?: LpipsNet;
  /** Extra SHA-256 values to label verified (e.g. bytes a pinned download already checked). */
  trusted?: ReadonlySet<string>;
}

/** Reads, hashes and recognises raw files (a failed read is reported, not thrown). */
export async function loadLpipsWeights(files: Uint8Array[], options: AssembleOptions = {}): Promise<LpipsWeightsStatus> {
  const inputs: Array<WeightPartInput | { error: string; format: WeightFormat; sha256: string }> = [];
  for (const bytes of files) {
    const sha256 = await sha256Hex(bytes);
    try {
      const { format, tensors } = readWeightFile(bytes);
      inputs.push({ tensors, sha256, format });
    } catch (e) {
      inputs.push({ error: (e as Error).message, format: 'unknown', sha256 });
    }
  }
  return assembleFrom(inputs, options);
}

/** Recognises already-parsed state dicts (sha256 given where the caller hashed the file). */
export function assembleLpipsWeights(parts: WeightPartInput[], options: AssembleOptions = {}): LpipsWeightsStatus {
  return assembleFrom(parts, options);
}

interface Recognised {
  report: WeightFileReport;
  lin?: Float32Array[];
  backbone?: Map<string, HostTensor>;
}

function assembleFrom(
  inputs: Array<WeightPartInput | { error: string; format: WeightFormat; sha256: string }>,
  options: AssembleOptions,
): LpipsWeightsStatus {
  const recognised: Recognised[] = inputs.map((input, index) => {
    const known = input.sha256 ? KNOWN_LPIPS_FILES[input.sha256] : undefined;
    const trusted = input.sha256 !== undefined && options.trusted?.has(input.sha256) === true;
    const report: WeightFileReport = {
      index, format: input.format ?? 'unknown', sha256: input.sha256, knownAs: known?.label,
      verified: known !== undefined || trusted, provides: [], net: null,
    };
    if ('error' in input) return { report: { ...report, problem: input.error } };
    return recognise(input.tensors, report);
  });

  // Use the backbone family most files agree on (ties: the first file's).
  const votes = new Map<LpipsNet, number>();
  for (const r of recognised) if (r.report.net) votes.set(r.report.net, (votes.get(r.report.net) ?? 0) + 1);
  let net: LpipsNet | null = null;
  for (const r of recognised) {
    const n = r.report.net;
    if (n && (net === null || votes.get(n)! > votes.get(net)!)) net = n;
  }
  if (options.net) net = votes.has(options.net) ? options.net : null;

  let lin: Float32Array[] | null = null;
  let backbone: Map<string, HostTensor> | null = null;
  let linFrom: WeightFileReport | null = null;
  let backboneFrom: WeightFileReport | null = null;
  for (const r of recognised) {
    if (!r.report.net) continue;
    if (r.report.net !== net) {
      r.report.problem = options.net
        ? `${r.report.net} weights; LPIPS-${options.net} needs ${options.net} files`
        : `${r.report.net} weights do not go with the other ${net} files`;
      continue;
    }
    // Later files replace earlier ones (the user dropped a newer choice).
    if (r.lin) { lin = r.lin; linFrom = r.report; }
    if (r.backbone) { backbone = r.backbone; backboneFrom = r.report; }
  }
  const sourcesUsed = [linFrom, backboneFrom].filter((r): r is WeightFileReport => r !== null);
  const verified = sourcesUsed.length > 0 && sourcesUsed.every((r) => r.verified);
  const missing: LpipsPart[] = [];
  if (!lin) missing.push('lin');
  if (!backbone) missing.push('backbone');
  const weights = net && lin && backbone ? { net, lin, backbone } : null;
  return {
    net, backbone, lin, missing, verified, weights,
    files: recognised.map((r) => r.report),
    summary: summarise(net ?? options.net ?? null, lin !== null, backbone !== null, verified),
  };
}

function summarise(net: LpipsNet | null, hasLin: boolean, hasBackbone: boolean, verified: boolean): string {
  const name = net ? ` (${net})` : '';
  if (!hasLin && !hasBackbone) return `no LPIPS weights loaded${name}; lin layers and backbone needed`;
  if (hasLin && !hasBackbone) return `lin loaded${name}; backbone still needed`;
  if (!hasLin && hasBackbone) return `backbone loaded${name}; lin layers still needed`;
  return `LPIPS${name} ready${verified ? '' : ' (unverified weights)'}`;
}

/** Canonical name of a lin key, or null. Accepts lin{l}.model.1.weight under any prefix. */
const LIN_KEY = /(?:^|\.)lin(\d+)\.model\.\d+\.weight$/;
/** Backbone keys under any prefix ('features.', 'net.', 'net.slice2.', 'module.'): '<idx>.[fire part.]weight|bias'. */
const BACKBONE_KEY = /(?:^|\.)(\d+\.(?:(?:squeeze|expand1x1|expand3x3)\.)?(?:weight|bias))$/;

function recognise(tensors: Map<string, HostTensor>, report: WeightFileReport): Recognised {
  const linByIndex = new Map<number, HostTensor>();
  const backbone = new Map<string, HostTensor>();
  for (const [name, t] of tensors) {
    const lin = LIN_KEY.exec(name);
    if (lin) { linByIndex.set(Number(lin[1]), t); continue; }
    if (/(?:^|\.)classifier\./.test(name)) continue; // torchvision's full checkpoint: not needed
    const bb = BACKBONE_KEY.exec(name);
    if (bb) backbone.set(bb[1], t);
  }
  const out: Recognised = { report };
  const problems: string[] = [];
  if (linByIndex.size > 0) {
    const r = recogniseLin(linByIndex);
    const bad = typeof r === 'string' ? 0 : nonFinite(r.lin);
    if (typeof r === 'string') problems.push(r);
    else if (bad) problems.push(`the lin layers hold ${bad} non-finite values (NaN or Inf)`);
    else { out.lin = r.lin; report.net = r.net; report.provides.push('lin'); }
  }
  if (backbone.size > 0) {
    const r = recogniseBackbone(backbone);
    const bad = typeof r === 'string' ? 0 : nonFinite([...r.params.values()].map((t) => t.data));
    if (typeof r === 'string') problems.push(r);
    else if (bad) problems.push(`the ${r.net} backbone holds ${bad} non-finite values (NaN or Inf)`);
    else if (report.net && report.net !== r.net) problems.push(`lin layers are for ${report.net}, backbone is ${r.net}`);
    else { out.backbone = r.params; report.net = r.net; report.provides.push('backbone'); }
  }
  if (linByIndex.size === 0 && backbone.size === 0) problems.push('no LPIPS lin layers or backbone tensors in this file');
  if (problems.length > 0) report.problem = problems.join('; ');
  return out;
}

/** NaN or Inf weights would make every LPIPS distance NaN, and so every training loss. */
function nonFinite(arrays: ArrayLike<number | bigint>[]): number {
  let bad = 0;
  for (const a of arrays) {
    if (!(a instanceof Float32Array || a instanceof Float64Array)) continue; // integers are always finite
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) bad++;
  }
  return bad;
}

function recogniseLin(byIndex: Map<number, HostTensor>): { net: LpipsNet; lin: Float32Array[] } | string {
  const channels = [...byIndex.keys()].sort((a, b) => a - b).map((l) => {
    const t = byIndex.get(l)!;
    return t.shape.length === 4 && t.shape[0] === 1 && t.shape[2] === 1 && t.shape[3] === 1 ? t.shape[1] : -1;
  });
  for (const net of LPIPS_NETS) {
    const want = NET_SPECS[net].tapChannels;
    if (want.length === byIndex.size && want.every((c, l) => byIndex.has(l) && channels[l] === c)) {
      return { net, lin: want.map((_, l) => toFloat32(byIndex.get(l)!)) };
    }
  }
  return `lin layers with channels [${channels}] match no LPIPS backbone`;
}

function recogniseBackbone(found: Map<string, HostTensor>): { net: LpipsNet; params: Map<string, HostTensor> } | string {
  let best: { net: LpipsNet; wrong: string[] } | null = null;
  for (const net of LPIPS_NETS) {
    const wrong: string[] = [];
    for (const [name, shape] of NET_SPECS[net].params) {
      const t = found.get(name);
      if (!t) wrong.push(`${name} missing`);
      else if (t.shape.join() !== shape.join()) wrong.push(`${name} is [${t.shape}], expected [${shape}]`);
    }
    if (wrong.length === 0) {
      const params = new Map(NET_SPECS[net].params.map(([name]) => [name, found.get(name)!]));
      return { net, params };
    }
    if (!best || wrong.length < best.wrong.length) best = { net, wrong };
  }
  const shown = best!.wrong.slice(0, 3).join(', ');
  return `backbone tensors do not match ${best!.net}: ${shown}${best!.wrong.length > 3 ? ', ...' : ''}`;
}
