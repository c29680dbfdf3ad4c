// The page's main thread never loads TensorFlow.js: the UI only sees plain data from the worker
// (architecture.md section 1). Follows the static value imports (not `import type`) from src/main.tsx.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
