// What the page is about, in three sentences, and the theme switch.
import { useView, type ThemeChoice } from '../state/viewStore';
import { Formula } from './Formula';
import { TourLauncher } from './tour/TourLauncher';

export function Header() {
  const theme = useView((s) => s.theme);
  return (
    <header className="site-header">
      <div className="title-row">
        <h1>Consistency model playground</h1>
        <TourLauncher />
        <label className="theme">Theme
          <select value={theme} onChange={(e) => useView.getState().setTheme(e.target.value as ThemeChoice)}>
            <option value="auto">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </div>
      <p className="lede">
        A diffusion model turns noise into data by following an ODE in many small steps. A <strong>consistency model</strong>{' '}
        learns a function <Formula tex="f_\theta(x_t, t)" /> that jumps from <em>any</em> point of such a trajectory straight to its end, so one
        network call turns noise <Formula tex="x_T \sim \mathcal N(0, T^2 I)" /> into a sample. It is trained to give the same answer at
        neighbouring times: by <strong>distillation</strong> (CD, a teacher takes one ODE step) or by <strong>consistency training</strong>{' '}
        (CT, no teacher). Pick data, press Train and watch the arrows converge on the trajectory ends{' '}
        <span className="muted">(Song, Dhariwal, Chen & Sutskever, ICML 2023; Song & Dhariwal, ICLR 2024).</span>
      </p>
    </header>
  );
}
