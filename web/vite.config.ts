/**
 * Vite config for the browser app. The root is `web/`; the app imports the
 * simulation, scenario and agent code straight from the repo root (`../sim`,
 * `../scenarios`, ...), so the dev server may serve files from the parent
 * folder. `npm start` runs the dev server, `npm run build:web` writes web/dist.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the build works from any path (a static host, a CI artifact, file server).
  base: './',
  server: {
    fs: { allow: ['..'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Rapier's compat build inlines its WebAssembly as base64 (~4.4 MB of JS per build): expected, not a mistake.
    chunkSizeWarningLimit: 5000,
  },
  worker: { format: 'es' },
  // The dev server pre-bundles dependencies it finds from its entries; the simulation worker is one too
  // (it is started with new URL(...), which the scan does not follow), so its dependencies are found up
  // front instead of on first use, which made Vite re-optimise and reload the page mid-run.
  optimizeDeps: { entries: ['index.html', 'sim-worker.ts'] },
});
