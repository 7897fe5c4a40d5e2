import { defineConfig } from 'vite';

// Run from the package root (`npm run build:dashboard`): `root` and `outDir` are relative to it.
export default defineConfig({
  root: 'dashboard',
  // Relative asset URLs: the page's <base href> (written by the server) decides where they resolve.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Everything stays a file of its own under assets/: nothing is fetched from elsewhere at run time.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
