import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './src/security/contentSecurityPolicy';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Content Security Policy (src/security/contentSecurityPolicy.ts): strict for the built page; the dev
  // server adds the inline React Refresh preamble, Vite's injected <style> tags and the HMR WebSocket.
  server: { headers: { 'Content-Security-Policy': contentSecurityPolicy('dev') } },
  preview: { headers: { 'Content-Security-Policy': contentSecurityPolicy('production') } },
  build: { target: 'es2022', sourcemap: true },
  // tfjs ships large prebundled files; keep the dev server from re-optimising on every start.
  // The worker and test pages are crawled too, so no dependency is discovered late (which would make the
  // dev server reload a page in the middle of a browser test).
  optimizeDeps: {
    entries: ['index.html', 'src/worker/trainer.worker.ts', 'test/e2e/**/*.html'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'],
  },
});
