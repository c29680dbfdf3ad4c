import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  // tfjs ships large prebundled files; keep the dev server from re-optimising on every start.
  // The worker and test pages are crawled too, so no dependency is discovered late (which would make the
  // dev server reload a page in the middle of a browser test).
  optimizeDeps: {
    entries: ['index.html', 'src/worker/trainer.worker.ts', 'test/e2e/**/*.html'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
});
