import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, CROSS_ORIGIN_ISOLATION } from './src/security/contentSecurityPolicy';

export default defineConfig({
  plugins: [react()],
  // The worker bundle is minified without renaming: tfjs starts each pthread of its threaded WASM build
  // from the source text of a function that reads a variable of its closure (`_scriptDir`), which a
  // renaming minifier breaks ("e is not defined" in every pthread worker; NOTES, "Multi-threaded WASM").
  worker: { format: 'es', rolldownOptions: { output: { minify: { mangle: false, compress: false } } } },
  // Content Security Policy (src/security/contentSecurityPolicy.ts): strict for the built page; the dev
  // server adds the inline React Refresh preamble, Vite's injected <style> tags and the HMR WebSocket.
  // Both are cross-origin isolated, for the threaded WASM build (src/worker/wasmThreads.ts).
  server: { headers: { 'Content-Security-Policy': contentSecurityPolicy('dev'), ...CROSS_ORIGIN_ISOLATION } },
  preview: { headers: { 'Content-Security-Policy': contentSecurityPolicy('production'), ...CROSS_ORIGIN_ISOLATION } },
  build: { target: 'es2022', sourcemap: true },
  // tfjs ships large prebundled files; keep the dev server from re-optimising on every start.
  // The worker and test pages are crawled too, so no dependency is discovered late (which would make the
  // dev server reload a page in the middle of a browser test).
  optimizeDeps: {
    entries: ['index.html', 'src/worker/trainer.worker.ts', 'test/e2e/**/*.html'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
});
