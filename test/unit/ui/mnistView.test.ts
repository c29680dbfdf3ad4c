// The page's MNIST wiring that needs no browser: links with d=mnist, what the view asks the worker for,
// software-rendering detection and the digit grid layout.
import { describe, expect, it } from 'vitest';
import { gridLayout, imageCount, imageShape, toByte } from '../../../src/render/digitTiles';
import { isSoftwareRendering } from '../../../src/state/runStore';
import { decodeConfig, encodeConfig, URL_VERSION } from '../../../src/state/urlCodec';
import { IMAGE_CONSISTENCY_TIMES, IMAGE_TRAJECTORIES, useView, viewRequest } from '../../../src/state/viewStore';

describe('a link with d=mnist', () => {
  it('follows the dataset for every setting it leaves out', () => {
    const d = decodeConfig(`v=${URL_VERSION}&d=mnist`);
    expect(d.notices).toEqual([]);
    expect([d.config.dataset, d.config.model, d.config.teacher, d.config.batchSize]).toEqual(['mnist', 'unet-large', 'pretrained', 64]);
  });

  it('keeps the settings it names (the tiny U-Net, a batch of 2) and round-trips', () => {
    const d = decodeConfig(`v=${URL_VERSION}&d=mnist&md=unet-tiny&m=ct&bs=2`);
    expect(d.notices).toEqual([]);
    expect([d.config.model, d.config.mode, d.config.batchSize]).toEqual(['unet-tiny', 'ct', 2]);
    expect(decodeConfig(encodeConfig(d.config)).config).toEqual(d.config);
  });
});

describe('the view request for images', () => {
  it('uses the image probe count, at most two trajectories and the strip times from T down', () => {
    const s = { ...useView.getState(), imageProbeCount: 9, trajectoryCount: 12, probeCount: 512 };
    const r = viewRequest(s, true);
    expect([r.probeCount, r.trajectoryCount]).toEqual([9, IMAGE_TRAJECTORIES]);
    expect(r.consistencyTimes).toEqual(IMAGE_CONSISTENCY_TIMES);
    expect(r.consistencyTimes.length).toBeGreaterThanOrEqual(6);
    expect(r.consistencyTimes[0]).toBe(80);
    for (let i = 1; i < r.consistencyTimes.length; i++) expect(r.consistencyTimes[i]).toBeLessThan(r.consistencyTimes[i - 1]);
  });

  it('leaves the 2D request as it was', () => {
    const s = { ...useView.getState(), imageProbeCount: 9, trajectoryCount: 12, probeCount: 512 };
    expect(viewRequest(s)).toMatchObject({ probeCount: 512, trajectoryCount: 12, consistencyTimes: s.consistencyTimes });
  });

  it('marks a probe count set through setView as the user\'s choice', () => {
    expect(useView.getState().imageProbeCountChosen).toBe(false);
    useView.getState().setView({ imageProbeCount: 16 });
    expect(useView.getState()).toMatchObject({ imageProbeCount: 16, imageProbeCountChosen: true });
  });
});

describe('software rendering', () => {
  it('is recognised from the backend and the WebGPU adapter', () => {
    expect(isSoftwareRendering('webgpu', 'google / swiftshader')).toBe(true);
    expect(isSoftwareRendering('cpu', null)).toBe(true);
    expect(isSoftwareRendering('webgpu', 'nvidia / ampere')).toBe(false);
    expect(isSoftwareRendering('webgl', null)).toBe(false);
  });
});

describe('digit tiles', () => {
  it('maps [-1, 1] to bytes with the background black', () => {
    expect([toByte(-1), toByte(0), toByte(1), toByte(3)]).toEqual([0, 128, 255, 255]);
  });

  it('counts whole images of a shape', () => {
    const s = imageShape([28, 28, 1]);
    expect(imageCount(new Float32Array(784 * 3 + 5), s)).toBe(3);
  });

  it('lays 36 digits out as 6 x 6 in a square and 4 as one row in a wide strip', () => {
    expect(gridLayout(36, 300, 300, 0)).toEqual({ cols: 6, rows: 6, tile: 50 });
    expect(gridLayout(4, 400, 100, 0)).toEqual({ cols: 4, rows: 1, tile: 100 });
  });
});
