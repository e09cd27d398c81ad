import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The server serves dist/ with a strict Content-Security-Policy
// (script-src 'self'; style-src 'self'), so the build must contain no inline
// script or style: the module-preload polyfill is turned off and assets are
// always emitted as files.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/readyz': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
