import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Static files under dist/ for any web server; the gateway serves them at /dashboard/.
// Everything (scripts, styles, fonts) comes from the build: no CDN at run time.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/graphql': 'http://localhost:4000', '/dashboard/api': 'http://localhost:4000' } },
});
