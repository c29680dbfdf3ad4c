// Where the tests find real LPIPS weights (never copied into the project): $LPIPS_WEIGHTS_DIR, else
// ../shared/lpips next to the project root. Returns null, with the reason, when absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function sharedLpipsDir(): { dir: string | null; reason: string } {
  const dir = process.env.LPIPS_WEIGHTS_DIR ?? resolve(projectRoot, '../shared/lpips');
  if (existsSync(resolve(dir, 'lin-v0.1/squeeze.pth'))) return { dir, reason: '' };
  return { dir: null, reason: `real LPIPS weights not found at ${dir} (set LPIPS_WEIGHTS_DIR)` };
}

export function readShared(dir: string, rel: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(dir, rel)));
}

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(projectRoot, 'test/fixtures/lpips', name)));
}

export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(projectRoot, 'test/fixtures/lpips', name), 'utf8')) as T;
}
