import { defineConfig } from 'vite';
import { tsMlsExternalSenders } from './patches/ts-mls-external-senders';

// The app is static files: signaling serves them in production (docs/web-app.md).
export default defineConfig({
  // ts-mls 1.6.4 reads external_senders the pre-RFC way; patches/ts-mls-external-senders.ts fixes it.
  plugins: [tsMlsExternalSenders()],
  server: {
    // `npm run dev`: the app on :5173, signaling's API and WebSocket through this proxy.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
  },
  worker: {
    format: 'es',
  },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // ts-mls goes through Vite's transform so the external_senders patch applies in tests too.
    server: { deps: { inline: ['ts-mls'] } },
  },
});
