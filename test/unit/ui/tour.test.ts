// The guided tour's content and mechanics that need no browser: stop count and length, formulas that
// KaTeX accepts, anchors on real views, the card's placement, and storage that may fail.
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/core/config';
import { readTourSeen, writeTourSeen } from '../../../src/state/tourStore';
import { EMBED_VIEWS_2D, EMBED_VIEWS_IMAGE } from '../../../src/ui/embed/embedNames';
import { placeCard } from '../../../src/ui/tour/placement';
import { TOUR_STOPS } from '../../../src/ui/tour/stops';

const contexts = [{ config: DEFAULTS, image: false }, { config: { ...DEFAULTS, dataset: 'mnist' as const }, image: true }];
const sentences = (text: string) => text.split(/[.!?](?:\s|$)/).filter((s) => s.trim().length > 0).length;

describe('tour stops', () => {
  it('has 6-9 stops covering the topics the issue names, in order', () => {
    expect(TOUR_STOPS.length).toBeGreaterThanOrEqual(6);
    expect(TOUR_STOPS.length).toBeLessThanOrEqual(9);
    expect(TOUR_STOPS.map((s) => s.id)).toEqual(['noise', 'trajectories', 'consistency', 'cd-ct', 'target', 'sampling', 'quality', 'settings']);
  });

  it('says each stop in 1-3 sentences for 2D and digits, with at most one formula that KaTeX parses', () => {
    for (const stop of TOUR_STOPS) {
      for (const c of contexts) {
        const n = sentences(stop.text(c));
        expect(n, `${stop.id}: ${stop.text(c)}`).toBeGreaterThanOrEqual(1);
        expect(n, `${stop.id}: ${stop.text(c)}`).toBeLessThanOrEqual(3);
      }
      if (stop.formula) expect(() => katex.renderToString(stop.formula!, { throwOnError: true })).not.toThrow();
    }
  });

  it('anchors every stop on a view the page draws for that data', () => {
    for (const c of contexts) {
      const views: readonly string[] = c.image ? EMBED_VIEWS_IMAGE : EMBED_VIEWS_2D;
      for (const stop of TOUR_STOPS) {
        const selector = stop.anchor(c);
        const id = /data-view="([^"]+)"/.exec(selector)?.[1];
        if (id) expect(views, `${stop.id} -> ${id}`).toContain(id);
        else expect(['section.controls', ...(c.image ? ['.mnist-grids'] : [])]).toContain(selector);
      }
    }
  });

  it('shows the run\'s own numbers (mu, taus, evaluation interval)', () => {
    const config = { ...DEFAULTS, mu: 0.95, taus: [1.2, 0.3], evalEvery: 50 };
    const text = (id: string) => TOUR_STOPS.find((s) => s.id === id)!.text({ config, image: false });
    expect(text('target')).toContain('0.95 in this run');
    expect(TOUR_STOPS.find((s) => s.id === 'target')!.text({ config: { ...config, nSchedule: 'ct-adaptive' }, image: false })).toContain('μ(k) schedule');
    expect(TOUR_STOPS.find((s) => s.id === 'cd-ct')!.text({ config: { ...config, mode: 'ct' }, image: false })).toContain('(CT)');
    // Methods without CD/CT's mu say their own target, never the unused mu setting.
    const target = (mode: typeof config.mode) => TOUR_STOPS.find((s) => s.id === 'target')!.text({ config: { ...config, mode }, image: false });
    expect(target('meanflow')).toContain('0 in this run: MeanFlow\'s target is the online network');
    expect(target('flow')).toContain('no target network');
    expect(target('shortcut')).toContain('0 in this run, the "Shortcut target EMA" setting');
    for (const mode of ['ect', 'sct', 'scd', 'meanflow', 'shortcut', 'flow'] as const) expect(target(mode), mode).not.toContain('0.95');
    expect(text('sampling')).toContain('1.2, 0.3');
    expect(text('quality')).toContain('Every 50 steps');
  });
});

describe('the trajectories stop', () => {
  const text = (mode: typeof DEFAULTS.mode, image: boolean) => TOUR_STOPS.find((s) => s.id === 'trajectories')!
    .text({ config: { ...DEFAULTS, mode, ...(image ? { dataset: 'mnist' as const, teacher: 'pretrained' as const } : {}) }, image });

  it('calls the curves the teacher\'s only for a method with a teacher; without one, the exact mixture ODE (2D) or none (digits)', () => {
    for (const mode of ['cd', 'ect', 'scd'] as const) {
      expect(text(mode, false), mode).toContain('The curves are the teacher\'s trajectories');
      expect(text(mode, true), mode).toContain('trajectory of the teacher\'s ODE');
    }
    for (const [mode, label] of [['ct', 'CT'], ['sct', 'sCT'], ['meanflow', 'MeanFlow'], ['shortcut', 'Shortcut'], ['flow', 'Flow matching']] as const) {
      expect(text(mode, false), mode).toContain(`${label} has no teacher, so the curves are the exact ODE of the data mixture`);
      expect(text(mode, false), mode).not.toContain('teacher\'s trajectories');
      expect(text(mode, true), mode).toContain(`${label} has no teacher and digits have no exact ODE, so this strip stays empty`);
      expect(sentences(text(mode, true)), mode).toBeLessThanOrEqual(3);
    }
  });
});

describe('tour card placement', () => {
  const viewport = { width: 1280, height: 720 };
  const card = { width: 360, height: 240 };

  it('goes beside the view when there is room, else below, else in the corner', () => {
    expect(placeCard({ left: 380, top: 200, width: 440, height: 440 }, viewport, card)).toEqual({ left: 832, top: 200, side: 'right' });
    expect(placeCard({ left: 840, top: 100, width: 430, height: 430 }, viewport, card).side).toBe('left');
    expect(placeCard({ left: 12, top: 20, width: 1250, height: 300 }, viewport, card)).toMatchObject({ top: 332, side: 'below' });
    expect(placeCard({ left: 0, top: 0, width: 1280, height: 720 }, viewport, card)).toEqual({ left: 908, top: 468, side: 'corner' });
    expect(placeCard(null, viewport, card).side).toBe('corner');
  });

  it('stays inside the viewport', () => {
    for (const anchor of [{ left: 900, top: 650, width: 100, height: 60 }, { left: -50, top: -400, width: 200, height: 500 }]) {
      const p = placeCard(anchor, { width: 768, height: 1024 }, card);
      expect(p.left).toBeGreaterThanOrEqual(12);
      expect(p.left + card.width).toBeLessThanOrEqual(768 - 12);
      expect(p.top).toBeGreaterThanOrEqual(12);
      expect(p.top + card.height).toBeLessThanOrEqual(1024 - 12);
    }
  });
});

describe('tour seen flag', () => {
  it('is remembered through storage, and storage that throws breaks nothing', () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    expect(readTourSeen(store)).toBe(false);
    writeTourSeen(store);
    expect(readTourSeen(store)).toBe(true);
    const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(readTourSeen(broken)).toBe(false);
    expect(() => writeTourSeen(broken)).not.toThrow();
    expect(readTourSeen(null)).toBe(false);
  });
});
