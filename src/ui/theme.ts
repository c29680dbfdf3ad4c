// Resolves the theme choice (system / light / dark) to data-theme on <html>, synchronously, so the
// render loop reads the new colours on its next frame.
import { useView } from '../state/viewStore';

export function followTheme(): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const { theme } = useView.getState();
    const dark = theme === 'dark' || (theme === 'auto' && media.matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
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
