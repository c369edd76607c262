// Builds test/interop/kd-member.ts into one Node ES module, with ts-mls bundled and patched
// (patches/ts-mls-external-senders.ts), so plain `node` runs the web client's MLS code.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { tsMlsExternalSenders } from '../../patches/ts-mls-external-senders';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  logLevel: 'warn',
  plugins: [tsMlsExternalSenders()],
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: here('kd-member.ts'),
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'kd-member.mjs' } },
  },
});
