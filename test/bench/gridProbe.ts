// How far is CD's f from the exact PF-ODE map at times on and off its training grid (2D, exact teacher)? Trains
// one run per dataset and seed at the page's settings, then prints rms |f(x_s, s) - X*(x_s, s -> eps)| / sigma_d
// over 512 points x_s = x_0 + s n, for each s. One line of JSON per run. usage (Node WASM):
//   npx tsx test/bench/gridProbe.ts [--datasets=moons,eight-gaussians] [--seeds=1,2] [--mode=cd] [--budget=2000]
//        [--sigmas=0.2964,0.4,0.5,0.5853,0.8,1.0882,1.5,1.9233,2,8.4009,10,12.9101]
import * as tf from '@tensorflow/tfjs';
import { validateFields, withDatasetDefaults } from '../../src/core/config';
import { exactFlowMapBatch } from '../../src/core/methods/exactFlowMap';
import { Rng } from '../../src/core/rng';
import { TrainingSession } from '../../src/core/run/session';
import { settle, useBackend } from './lib/nodeBackend';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const list = (name: string, fallback: string) => flag(name, fallback).split(',');
const budget = Number(flag('budget', '2000'));
const sigmas = list('sigmas', '0.2964,0.4,0.5,0.5853,0.8,1.0882,1.5,1.9233,2,8.4009,10,12.9101').map(Number);
const POINTS = 512;
const r4 = (v: number) => Math.round(v * 10000) / 10000;

await useBackend('wasm');
for (const dataset of list('datasets', 'moons,eight-gaussians')) {
  for (const seed of list('seeds', '1,2').map(Number)) {
    const { config: parsed, errors } = validateFields({ dataset, mode: flag('mode', 'cd'), seed, steps: budget, teacher: 'exact' });
    if (errors.length) throw new Error(errors.join('; '));
    const config = withDatasetDefaults(parsed, new Set());
    const s = new TrainingSession(config, {}, 1000);
    for (let k = 0; k < budget; k++) await settle((await s.trainStep()).loss);
    const rng = new Rng(7, 'grid-probe');
    const x0 = s.data.sample(POINTS, rng);
    const n = rng.normals(x0.length);
    const error: Record<string, number> = {};
    for (const sigma of sigmas) {
      const x = Float32Array.from(x0, (v, i) => v + sigma * n[i]);
      const exact = exactFlowMapBatch(s.dataset2d!.mixture, x, sigma, config.eps, 30);
      const f = await s.mapToData(s.samplingParams('ema'), x, new Float64Array(POINTS).fill(sigma));
      let sq = 0;
      for (let i = 0; i < f.length; i++) sq += (f[i] - exact[i]) ** 2;
      error[String(sigma)] = r4(Math.sqrt(sq / f.length) / config.sigmaData);
    }
    console.log(JSON.stringify({ dataset, seed, mode: config.mode, N: config.N, budget, error }));
    s.dispose();
  }
}
void tf;
