// Bundles measure.ts with the project's core and tfjs into ONE ES module that runs under a bare Node (no
// node_modules on the GPU machine). esbuild comes with tsx (a devDependency). Names are kept: the dispatch
// histogram names tfjs's programs by their class names.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ENTRY = fileURLToPath(new URL('./measure.ts', import.meta.url));

export async function bundleMeasure(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // One copy of tfjs-core: the ES builds everywhere (a CJS twin would register the webgpu backend elsewhere).
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    // tfjs-core's Node platform requires these lazily; the measurement never fetches.
    external: ['node-fetch'],
    // CommonJS parts of the bundle call require().
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
