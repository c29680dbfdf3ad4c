// The page's main thread never loads TensorFlow.js: the UI only sees plain data from the worker
// (architecture.md section 1). Follows the static value imports (not `import type`) from src/main.tsx.
// And the layers point one way: src/state never imports src/ui (types included), so state can be used
// without the components.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && !candidate.endsWith('/')) {
      try {
        readFileSync(candidate);
        return candidate;
      } catch {
        /* a directory */
      }
    }
  }
  return null;
}

function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1]);
  return specs;
}

describe('main-thread bundle', () => {
  it('reaches no @tensorflow module from src/main.tsx', () => {
    const seen = new Set<string>();
    const offenders: string[] = [];
    const stack = [join(ROOT, 'src/main.tsx')];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of valueImports(file)) {
        if (spec.startsWith('@tensorflow/')) offenders.push(`${file.slice(ROOT.length + 1)} imports ${spec}`);
        const next = resolveImport(file, spec);
        if (next) stack.push(next);
      }
    }
    expect(seen.size).toBeGreaterThan(30);
    expect(offenders).toEqual([]);
  });
});

/** Every relative module specifier of a file: static imports and re-exports (types too) and dynamic import(). */
function allRelativeImports(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:\bfrom\s+|^\s*import\s+|\bimport\s*\(\s*)['"](\.[^'"]*)['"]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1]);
  return specs;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('layering', () => {
  it('src/state imports nothing from src/ui', () => {
    const ui = join(ROOT, 'src/ui');
    const files = sourceFiles(join(ROOT, 'src/state'));
    const offenders: string[] = [];
    for (const file of files) {
      for (const spec of allRelativeImports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec);
        if (target === ui || target.startsWith(`${ui}/`)) offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('the import scanner sees type-only and dynamic imports (so the rule above can fail)', () => {
    const probe = [
      "import type { Palette } from '../ui/theme';",
      "export type { Mode2d } from '../ui/edit/constraint2d';",
      "const App = () => import('../ui/App');",
      "import './side-effect';",
      "import { create } from 'zustand';",
    ].join('\n');
    expect(allRelativeImports(probe)).toEqual(['../ui/theme', '../ui/edit/constraint2d', '../ui/App', './side-effect']);
  });
});
