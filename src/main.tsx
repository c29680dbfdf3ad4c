// Entry point: read the link, follow the theme, start the training worker, mount the page.
import 'katex/dist/katex.min.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useRun } from './state/runStore';
import { connectSavedRuns } from './state/savedRuns';
import { startSession } from './state/session';
import { loadFromUrl, syncUrl } from './state/urlSync';
import { App } from './ui/App';
import { EmbedApp } from './ui/embed/EmbedApp';
import { embedParam } from './ui/embed/embedNames';
import { samplesThumbnail } from './ui/runThumbnail';
import { followTheme } from './ui/theme';

loadFromUrl();
syncUrl();
followTheme();
const session = startSession(() => new Worker(new URL('./worker/trainer.worker.ts', import.meta.url), { type: 'module' }));
connectSavedRuns(session, { thumbnail: samplesThumbnail });
// Training goes on in a hidden tab; only the snapshots slow down until it is shown again.
if (document.visibilityState === 'hidden') session.setPageHidden(true);
document.addEventListener('visibilitychange', () => session.setPageHidden(document.visibilityState === 'hidden'));
// Handy for debugging and for end-to-end tests that need to look inside.
(window as unknown as { __playground?: unknown }).__playground = {
  session,
  snapshotVersion: () => useRun.getState().snapshot?.version ?? -1,
  oneStepSamples: () => Array.from(useRun.getState().snapshot?.samples[0] ?? []),
  latestQuality: () => {
    const q = useRun.getState().latestQuality;
    return q ? { step: q.step, swd1: q.swd1, swdTeacher: q.swdTeacher } : null;
  },
};

// ?embed=<view> shows one figure alone (for an iframe); the parameter is read once, at start-up.
const embed = embedParam(location.search);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {embed === null ? <App /> : <EmbedApp view={embed} />}
  </StrictMode>,
);
