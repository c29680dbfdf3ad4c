// Packs everything the real-GPU measurement needs on a machine with a GPU and a Vulkan driver but no Node, no
// browser and no network, into ONE git-ignored folder (.gpu-pack/, < 64 MiB) that scripts/gpu/run.sh unpacks:
//   node.xz          this machine's Node binary (stripped when `strip` exists); .gz where this machine has no xz
//   dawn.node.xz     Dawn's Node addon (WebGPU over Vulkan) from the `webgpu` npm package, pinned + hash-checked
//   measure.mjs      measure.ts bundled with the project's core and tfjs (bundle.ts)
//   lib/libvulkan.so.1            the Vulkan loader (Debian's libvulkan1), used where the machine has none
//   compat/libstdc++.so.6.gz      used only where the machine's libstdc++ is older than dawn.node needs
//   SHA256SUMS, manifest.json, LICENSE.webgpu.md
// The `webgpu` package is fetched at PACK time only (`npm pack`, cached in .cache/gpu/); it is no dependency of
// the project: 51 MB of addons for five platforms and an install script would slow every `npm ci`.
// xz, not gzip, for the two big binaries: 27 MB instead of 40 MB, and the device tool's 64 MiB limit counts the
// whole working tree that travels with them (run.sh unpacks .xz with xz or Python's lzma).
// Usage: npm run gpu:pack [-- --out=DIR]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleMeasure } from './bundle';

const WEBGPU_VERSION = '0.6.2';
/** npm's integrity of webgpu-0.6.2.tgz (registry metadata and package-lock format). */
const WEBGPU_INTEGRITY = 'sha512-3L4GfmqJLvYUIEWJngEQY+2HQiUlAFkg8+P8NDDj3Xx5hHHIFO/r8JW+ynfqBj7kHN4mbnwO74uB+lrRtLhp4Q==';
const LIMIT_BYTES = 64 * 1024 * 1024;
const CACHE = '.cache/gpu';
const SYSTEM_LIBS = ['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64'];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes `<dest>.xz` (xz -9), or `<dest>.gz` where this machine has no xz. */
function compress(src: string, dest: string): void {
  try {
    writeFileSync(`${dest}.xz`, execFileSync('xz', ['-9', '-T0', '-c', src], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    writeFileSync(`${dest}.gz`, gzipSync(readFileSync(src), { level: 9 }));
  }
}

function findSystemLib(name: string): string {
  for (const dir of SYSTEM_LIBS) if (existsSync(join(dir, name))) return realpathSync(join(dir, name));
  throw new Error(`${name} not found in ${SYSTEM_LIBS.join(', ')} (Debian: apt-get install ${name.startsWith('libvulkan') ? 'libvulkan1' : 'libstdc++6'})`);
}

/** webgpu-<v>.tgz from the cache, or from the npm registry; its sha512 must be the pinned one. */
function webgpuTarball(): string {
  const file = join(CACHE, `webgpu-${WEBGPU_VERSION}.tgz`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    console.error(`fetching webgpu@${WEBGPU_VERSION} from the npm registry (pack time only) ...`);
    execFileSync('npm', ['pack', `webgpu@${WEBGPU_VERSION}`, '--pack-destination', CACHE, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const got = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
  if (got !== WEBGPU_INTEGRITY) throw new Error(`${file}: integrity ${got} is not the pinned ${WEBGPU_INTEGRITY}; delete it and pack again`);
  return file;
}

/** The Node binary's path: a stripped copy when `strip` exists and the copy still runs. */
function nodeBinary(tmp: string): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`pack on linux-x64 (this is ${process.platform}-${process.arch})`);
  const stripped = join(tmp, 'node');
  try {
    execFileSync('strip', ['-o', stripped, process.execPath], { stdio: 'ignore' });
    if (execFileSync(stripped, ['--version'], { encoding: 'utf8' }).trim() === process.version) return stripped;
  } catch {
    // no strip, or the stripped binary did not run: the original is only a few MB larger packed
  }
  return process.execPath;
}

async function pack(out: string): Promise<Record<string, { bytes: number; sha256: string }>> {
  const tmp = mkdtempSync(join(tmpdir(), 'gpu-pack-'));
  try {
    // The steps that can fail first, so a failed pack leaves the previous one in place.
    await bundleMeasure(join(tmp, 'measure.mjs'));
    const tgz = webgpuTarball();
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, 'package/dist/linux-x64/dawn.node', 'package/LICENSE.md']);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'lib'), { recursive: true });
    mkdirSync(join(out, 'compat'), { recursive: true });
    compress(nodeBinary(tmp), join(out, 'node'));
    compress(join(tmp, 'package/dist/linux-x64/dawn.node'), join(out, 'dawn.node'));
    copyFileSync(join(tmp, 'package/LICENSE.md'), join(out, 'LICENSE.webgpu.md'));
    copyFileSync(findSystemLib('libvulkan.so.1'), join(out, 'lib/libvulkan.so.1'));
    writeFileSync(join(out, 'compat/libstdc++.so.6.gz'), gzipSync(readFileSync(findSystemLib('libstdc++.so.6')), { level: 9 }));
    copyFileSync(join(tmp, 'measure.mjs'), join(out, 'measure.mjs'));

    const files: Record<string, { bytes: number; sha256: string }> = {};
    const walk = (dir: string, prefix = '') => {
      for (const name of readdirSync(dir).sort()) {
        const rel = prefix + name;
        if (statSync(join(dir, name)).isDirectory()) walk(join(dir, name), `${rel}/`);
        else files[rel] = { bytes: statSync(join(dir, name)).size, sha256: sha256(readFileSync(join(dir, name))) };
      }
    };
    walk(out);
    writeFileSync(join(out, 'SHA256SUMS'), Object.entries(files).map(([f, v]) => `${v.sha256}  ${f}\n`).join(''));
    const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const total = Object.values(files).reduce((s, f) => s + f.bytes, 0);
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({
      packed: new Date().toISOString(), node: process.version, webgpu: { version: WEBGPU_VERSION, integrity: WEBGPU_INTEGRITY },
      commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '', totalBytes: total, files,
    }, null, 2)}\n`);
    if (total > LIMIT_BYTES - 64 * 1024) throw new Error(`the pack is ${(total / 2 ** 20).toFixed(1)} MiB, over the 64 MiB a carry may hold`);
    return files;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const bad = args.find((a) => !/^--out=.+/.test(a));
if (bad) {
  console.error(`pack: unknown argument "${bad}" (usage: npm run gpu:pack [-- --out=DIR])`);
  process.exit(2);
}
const out = args.length ? args[args.length - 1].slice('--out='.length) : '.gpu-pack';
const files = await pack(out);
for (const [f, v] of Object.entries(files)) console.log(`${(v.bytes / 2 ** 20).toFixed(2).padStart(7)} MiB  ${f}`);
console.log(`${(Object.values(files).reduce((s, f) => s + f.bytes, 0) / 2 ** 20).toFixed(2).padStart(7)} MiB  in ${out}/`);
