// Command line of the real-GPU measurement (measure.ts). Defaults are the shapes; the smaller ones
// serve the cpu check (test/unit/gpu/measureBundle.test.ts), which must finish in seconds.

export interface MeasureArgs {
  backend: 'webgpu' | 'cpu';
  /** Path of dawn.node (webgpu only). */
  dawn: string | null;
  dawnOptions: string[];
  out: string | null;
  /** Folder for realgpu-<gpu>.json (named once the adapter is known); --out names the file instead. */
  outDir: string | null;
  /** The GPU's name as the machine reports it (nvidia-smi), for the record and the results file's name. */
  gpuName: string | null;
  sections: ('mlp' | 'unet')[];
  mlpBatch: number;
  width: number;
  depth: number;
  unetBatch: number;
  unetModel: 'unet' | 'unet-tiny';
  warmup: number;
  seconds: number;
  maxSteps: number;
  syncedSteps: number;
  gpuTimedSteps: number;
}

// Chrome-like timestamp quantisation (Dawn's default) would round every kernel's time.
export const DEFAULT_DAWN_OPTIONS = ['disable-dawn-features=timestamp_quantization'];

export const USAGE = `usage: measure.mjs [--backend=webgpu|cpu] [--dawn=PATH/dawn.node] [--dawn-option=OPT ...] [--out=FILE | --out-dir=DIR]
  [--gpu-name=NAME] [--sections=mlp,unet] [--mlp-batch=512] [--width=256] [--depth=4] [--unet-batch=64]
  [--unet-model=unet|unet-tiny] [--warmup=10] [--seconds=3] [--max-steps=5000] [--synced-steps=20] [--gpu-timed-steps=5]`;

const INTS: Record<string, [keyof MeasureArgs, number, number]> = {
  'mlp-batch': ['mlpBatch', 1, 65536],
  width: ['width', 1, 4096],
  depth: ['depth', 1, 16],
  'unet-batch': ['unetBatch', 1, 1024],
  warmup: ['warmup', 1, 1000],
  'max-steps': ['maxSteps', 8, 1e6],
  'synced-steps': ['syncedSteps', 0, 1000],
  'gpu-timed-steps': ['gpuTimedSteps', 0, 100],
};

export function parseArgs(argv: string[]): MeasureArgs {
  const a: MeasureArgs = {
    backend: 'webgpu', dawn: null, dawnOptions: [], out: null, outDir: null, gpuName: null, sections: ['mlp', 'unet'],
    mlpBatch: 512, width: 256, depth: 4, unetBatch: 64, unetModel: 'unet',
    warmup: 10, seconds: 3, maxSteps: 5000, syncedSteps: 20, gpuTimedSteps: 5,
  };
  let ownOptions = false;
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/s.exec(arg);
    if (!m) throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    const [, key, value] = m;
    const int = INTS[key];
    if (int) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < int[1] || n > int[2]) throw new Error(`--${key} must be an integer in [${int[1]}, ${int[2]}], got "${value}"`);
      (a as unknown as Record<string, number>)[int[0]] = n;
    } else if (key === 'backend') {
      if (value !== 'webgpu' && value !== 'cpu') throw new Error(`--backend must be webgpu or cpu, got "${value}"`);
      a.backend = value;
    } else if (key === 'seconds') {
      const s = Number(value);
      if (!(s > 0 && s <= 120)) throw new Error(`--seconds must be in (0, 120], got "${value}"`);
      a.seconds = s;
    } else if (key === 'sections') {
      const parts = value.split(',');
      if (!parts.length || parts.some((p) => p !== 'mlp' && p !== 'unet')) throw new Error(`--sections takes mlp and/or unet, got "${value}"`);
      a.sections = parts as MeasureArgs['sections'];
    } else if (key === 'unet-model') {
      if (value !== 'unet' && value !== 'unet-tiny') throw new Error(`--unet-model must be unet or unet-tiny, got "${value}"`);
      a.unetModel = value;
    } else if (key === 'dawn') a.dawn = value;
    else if (key === 'dawn-option') {
      ownOptions = true;
      if (value) a.dawnOptions.push(value);
    } else if (key === 'out') a.out = value;
    else if (key === 'out-dir') a.outDir = value;
    else if (key === 'gpu-name') a.gpuName = value.trim() || null;
    else throw new Error(`unknown option --${key}\n${USAGE}`);
  }
  if (a.out && a.outDir) throw new Error('give --out=FILE or --out-dir=DIR, not both');
  if (!ownOptions) a.dawnOptions = [...DEFAULT_DAWN_OPTIONS];
  if (a.backend === 'webgpu' && !a.dawn) throw new Error('--backend=webgpu needs --dawn=PATH (dawn.node from the webgpu npm package; scripts/gpu/run.sh passes it)');
  return a;
}
