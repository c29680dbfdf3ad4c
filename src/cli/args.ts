// Command-line flags: every config field is a flag (--batchSize or --batch-size), plus the CLI's own.
// Parsing is strict: an unknown flag or a bad value is a UsageError naming the flag and the allowed range.
import { FIELDS, crossFieldErrors, parseField, validateConfig, type Config, type ConfigKey } from '../core/config';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const CLI_FLAGS = {
  out: 'output directory (created; must not be an existing non-empty directory unless --force)',
  data: 'CSV of points, one "x,y" per line (sets --dataset custom)',
  run: 'a run directory (or its run.safetensors) to sample from or evaluate',
  count: 'number of samples (sample/eval; default 2000)',
  'eval-count': 'samples used for each quality evaluation during training (default 1000)',
  'lpips-weights': 'directory or comma-separated files with LPIPS weights (recognised by content)',
  'mnist-asset': 'path of the MNIST asset (default public/data/mnist.bin)',
  force: 'allow writing into a non-empty --out directory',
  quiet: 'no progress bar',
  help: 'show help',
} as const;
export type CliFlag = keyof typeof CLI_FLAGS;
const BOOLEAN_FLAGS: CliFlag[] = ['force', 'quiet', 'help'];

function kebab(key: string): string {
  return key.length === 1 ? key : key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

const FLAG_TO_KEY = new Map<string, ConfigKey>();
for (const key of Object.keys(FIELDS) as ConfigKey[]) {
  FLAG_TO_KEY.set(key, key);
  FLAG_TO_KEY.set(kebab(key), key);
}

export interface ParsedArgs {
  command: string;
  config: Partial<Record<ConfigKey, unknown>>;
  flags: Partial<Record<CliFlag, string | true>>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const config: Partial<Record<ConfigKey, unknown>> = {};
  const flags: Partial<Record<CliFlag, string | true>> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (flags look like --name value)`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if ((BOOLEAN_FLAGS as string[]).includes(name)) {
      flags[name as CliFlag] = true;
      continue;
    }
    if (value === undefined) {
      value = rest[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    if (name in CLI_FLAGS) {
      flags[name as CliFlag] = value;
      continue;
    }
    const key = FLAG_TO_KEY.get(name);
    if (!key) throw new UsageError(`unknown flag --${name} (see "cm help")`);
    const r = parseField(key, value);
    if (!r.ok) throw new UsageError(`--${name}: ${r.error}`);
    config[key] = r.value;
  }
  return { command, config, flags };
}

/** Full config from flags on top of `base`; cross-field problems are usage errors too. */
export function resolveConfig(partial: ParsedArgs['config'], base?: Config): Config {
  const { config, errors } = validateConfig(partial as Record<string, unknown>, base);
  const cross = crossFieldErrors(config);
  const all = [...new Set([...errors, ...cross])];
  if (all.length) throw new UsageError(all.join('\n'));
  return config;
}

export function helpText(): string {
  const lines = [
    'cm: train and evaluate consistency models from the command line (same core as the playground).',
    '',
    'Commands:',
    '  train   --out DIR [settings]         train a model; writes config.json, metrics.jsonl, samples, summary.json, run.safetensors',
    '  sample  --run DIR --out DIR [--count N] [--taus ...]   draw one-step and multistep samples from a saved run',
    '  eval    --run DIR [--count N]        print quality (JSON) of a saved run',
    '',
    'CLI flags:',
    ...Object.entries(CLI_FLAGS).map(([k, v]) => `  --${k.padEnd(16)} ${v}`),
    '',
    'Settings (every one of the playground\'s; --name value):',
  ];
  for (const f of Object.values(FIELDS)) {
    const range = f.kind === 'enum' ? f.options.map((o) => o.value).join('|') : f.kind === 'numberList' ? 'comma-separated numbers' : `${f.min}..${f.max}`;
    lines.push(`  --${kebab(f.key).padEnd(18)} ${range.padEnd(40)} ${f.label}`);
  }
  return lines.join('\n');
}
