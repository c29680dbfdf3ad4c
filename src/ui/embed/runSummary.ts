// One compact line with the run's settings, for an embedded figure (a slide shows what it trained).
import type { Config } from '../../core/config';
import { METHOD_INFO } from '../../core/methods/settings/index';
import { changedMethodSettings, optionLabel, usesDiscreteLoss } from '../../core/methods/settings/summary';

const num = (v: number) => String(Number(v.toPrecision(3)));

export function runSummary(config: Config): string {
  const parts = [optionLabel('mode', config), config.dataset];
  // The solver only shapes a CD target (consistency-models.md section 5); ECT starts from the teacher, sCD distils it.
  if (config.mode === 'cd') parts.push(`${config.teacher} teacher, ${optionLabel('solver', config)}`);
  else if (METHOD_INFO[config.mode].teacher !== 'none') parts.push(`${config.teacher} teacher`);
  if (usesDiscreteLoss(config)) {
    parts.push(optionLabel('metric', config));
    if (config.nSchedule === 'fixed') parts.push(`N = ${config.N}`, `mu = ${num(config.mu)}`);
    else parts.push(optionLabel('nSchedule', config));
  } else parts.push(...changedMethodSettings(config));
  parts.push(`${config.model} ${config.model === 'mlp' ? `${config.depth}x${config.width}` : ''}`.trim());
  parts.push(`batch ${config.batchSize}`, `lr ${num(config.lr)}`, `seed ${config.seed}`, `${config.steps} steps`);
  return parts.join(' · ');
}
