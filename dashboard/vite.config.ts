import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Static files under dist/ for any web server; the gateway serves them at /dashboard/.
// Everything (scripts, styles, fonts) comes from the build: no CDN at run time.
/**
 * The application's chunk (src/start.tsx, imported by the small entry once it has sent the first
 * screen's requests) is fetched from the page's head, beside the entry, not after it has run.
 */
function preloadStart(): Plugin {
  return {
    name: 'nimo-preload-start',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const start = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'start');
        return start ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${start.fileName}` }, injectTo: 'head' }] : html;
      },
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), preloadStart()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/graphql': 'http://localhost:4000', '/dashboard/api': 'http://localhost:4000' } },
});
