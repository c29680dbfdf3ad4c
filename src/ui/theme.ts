// Resolves the theme choice (system / light / dark) to data-theme on <html>, synchronously, so the
// render loop reads the new colours on its next frame.
import { SERIES_COLOURS, SERIES_VARS, type SeriesColours } from '../render/palette';
import { useView } from '../state/viewStore';

/** The series colours (one definition, in render/palette.ts) as CSS custom properties. */
function writeSeriesColours(root: HTMLElement, dark: boolean): void {
  const colours = SERIES_COLOURS[dark ? 'dark' : 'light'];
  for (const [name, v] of Object.entries(SERIES_VARS) as [keyof SeriesColours, string][]) root.style.setProperty(v, colours[name]);
}

export function followTheme(): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const { theme } = useView.getState();
    const dark = theme === 'dark' || (theme === 'auto' && media.matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    writeSeriesColours(document.documentElement, dark);
    if (useView.getState().dark !== dark) useView.getState().setDark(dark);
  };
  apply();
  media.addEventListener('change', apply);
  const unsub = useView.subscribe((s, p) => s.theme !== p.theme && apply());
  return () => {
    media.removeEventListener('change', apply);
    unsub();
  };
}
