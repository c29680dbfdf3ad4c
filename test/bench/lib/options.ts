// Command-line options of the bench: --quick, --only=a,b and --skip=a,b (section names), --out=<dir>.

export const SECTIONS = ['node', 'pytorch', 'memory', 'quality', 'learning', 'methods', 'mnist', 'mnist-methods', 'browser', 'webgpu', 'page', 'headline'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  quick: boolean;
  sections: Set<Section>;
  outDir: string;
}

export function parseOptions(argv: string[]): BenchOptions {
  let quick = false;
  let only: Section[] | null = null;
  const skip = new Set<Section>();
  let outDir = 'test/bench/results';
  const list = (v: string): Section[] => {
    const names = v.split(',').filter(Boolean);
    for (const n of names) {
      if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`unknown section "${n}" (sections: ${SECTIONS.join(', ')})`);
    }
    return names as Section[];
  };
  for (const a of argv) {
    if (a === '--quick') quick = true;
    else if (a.startsWith('--only=')) only = list(a.slice(7));
    else if (a.startsWith('--skip=')) list(a.slice(7)).forEach((s) => skip.add(s));
    else if (a.startsWith('--out=')) outDir = a.slice(6);
    else if (a === '--help' || a === '-h') {
      process.stderr.write(`usage: npm run bench -- [--quick] [--only=${SECTIONS.join(',')}] [--skip=...] [--out=dir]\n`);
      process.exit(0);
    } else throw new Error(`unknown option "${a}"`);
  }
  const sections = new Set((only ?? [...SECTIONS]).filter((s) => !skip.has(s)));
  return { quick, sections, outDir };
}
