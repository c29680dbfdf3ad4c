// Times building the flow-map error's exact images (the first 2D evaluation of a run pays it once).
// npx tsx test/bench/fmeProbeTime.ts
import { presetDataset } from '../../src/core/data/dataset2d';
import { FlowMapProbe } from '../../src/core/methods/flowMapError';

for (const name of ['moons', 'eight-gaussians', 'moons'] as const) {
  const ds = presetDataset(name, 0.5);
  const t0 = performance.now();
  new FlowMapProbe(ds.mixture, { dataShape: [2], sample: ds.sample }, 0, 80);
  console.log(JSON.stringify({ dataset: name, components: ds.mixture.weights.length, ms: Math.round(performance.now() - t0) }));
}
