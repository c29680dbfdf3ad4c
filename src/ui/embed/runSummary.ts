// One compact line with the run's settings, for an embedded figure (a slide shows what it trained).
import { FIELDS, type Config, type ConfigKey } from '../../core/config';

function optionLabel(key: ConfigKey, config: Config): string {
  const field = FIELDS[key];
  const value = String(config[key]);
  return ('options' in field ? field.options.find((o) => o.value === value)?.label : undefined) ?? value;
}

const num = (v: number) => String(Number(v.toPrecision(3)));

export function runSummary(config: Config): string {
  const parts = [optionLabel('mode', config), config.dataset];
  // The teacher and its solver only shape a CD target (consistency-models.md section 5).
  if (config.mode === 'cd') parts.push(`${config.teacher} teacher, ${optionLabel('solver', config)}`);
  parts.push(optionLabel('metric', config));
  if (config.nSchedule === 'fixed') parts.push(`N = ${config.N}`, `mu = ${num(config.mu)}`);
  else parts.push(optionLabel('nSchedule', config));
  parts.push(`${config.model} ${config.model === 'mlp' ? `${config.depth}x${config.width}` : ''}`.trim());
  parts.push(`batch ${config.batchSize}`, `lr ${num(config.lr)}`, `seed ${config.seed}`, `${config.steps} steps`);
  return parts.join(' · ');
}
