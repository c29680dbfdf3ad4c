// Command-line flags: every config field is a flag (--batchSize or --batch-size), plus the CLI's own.
// Parsing is strict: an unknown flag or a bad value is a UsageError naming the flag and the allowed range.
import { FIELDS, crossFieldErrors, parseField, validateFields, withDatasetDefaults, type Config, type ConfigKey } from '../core/config';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const CLI_FLAGS = {
  out: 'output directory (created; must not be an existing non-empty directory unless --force)',
  data: 'CSV of points, one "x,y" per line (sets --dataset custom)',
  run: 'a run directory, or a run file / bundle (.safetensors: from "cm export", the page\'s "Export run" or continue.py)',
  count: 'number of samples (sample/eval; default 2000)',
  'eval-count': 'samples used for each quality evaluation during training (default 1000)',
  'lpips-weights': 'directory or comma-separated files with LPIPS weights (recognised by content)',
  'mnist-asset': 'path of the MNIST asset (default public/data/mnist.bin)',
  task: 'edit: inpaint|superres|denoise|interpolate|stroke (MNIST) or inpaint|project (2D)',
  mask: 'edit inpaint (MNIST): region to regenerate, a preset (left-half, right-half, top-half, bottom-half, centre-square) or a 28x28 PNG (bright = regenerate)',
  t1: 'edit: first time t_1 in [eps, T] (default T; 4 for stroke); then a Karras grid down to eps (4 steps for images, 10 for 2D)',
  times: 'edit: all times, comma-separated, strictly descending in [eps, T] (instead of --t1)',
  sigma: 'edit denoise: noise level added to the digit and removed in one call (default 0.5)',
  factor: 'edit superres: block size p, 2 or 4 (default 4)',
  seeds: 'edit: comma-separated seeds, one completion each (default 0..7; interpolate: the two latents, default 0,1)',
  index: 'edit (MNIST): index of the reference digit in the MNIST asset (default 9)',
  image: 'edit stroke: a 28x28 PNG of the rough drawing (bright = ink; default: a ring)',
  fix: 'edit inpaint (2D): keep one coordinate, e.g. x=0.5 or y=-0.2 (data coordinates)',
  angle: 'edit project (2D): direction n of the kept projection n . x, in degrees (default 0)',
  value: 'edit project (2D): the kept value of n . x (data coordinates, default 0)',
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
    // `--model tiny` is the name for the test-sized U-Net.
    const r = parseField(key, key === 'model' && value === 'tiny' ? 'unet-tiny' : value);
    if (!r.ok) throw new UsageError(`--${name}: ${r.error}`);
    config[key] = r.value;
  }
  return { command, config, flags };
}

/** Full config from flags on top of `base`; cross-field problems are usage errors too. */
export function resolveConfig(partial: ParsedArgs['config'], base?: Config): Config {
  const validated = validateFields(partial as Record<string, unknown>, base);
  const config = base ? validated.config : withDatasetDefaults(validated.config, new Set(Object.keys(partial)));
  const all = [...validated.errors, ...crossFieldErrors(config)];
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
    '  edit    --run DIR --task T --out DIR [--t1 | --times] [task flags]   zero-shot editing (Algorithm 4): PNGs of inputs, steps, results',
    '  export  --run DIR --out FILE         one run bundle (scripts/torch/run-bundle.md) for the page or scripts/torch/continue.py',
    '  import  --run FILE --out DIR         a bundle (page, continue.py) -> a run directory (config.json, run.safetensors)',
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
