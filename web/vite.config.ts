// The staff web app: built into web/dist, which the API server serves under `/` (src/http/web.ts).
// `npm run dev:web` serves it with hot reload and proxies the API to a running `npm start`.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const api = process.env.TRIGUARD_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // zod's sources carry comments Rollup cannot place; harmless, and noise on every `npm start`.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        manualChunks: (id) =>
          id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')
            ? 'element-plus'
            : id.includes('node_modules/echarts') || id.includes('node_modules/zrender')
              ? 'echarts'
              : undefined,
      },
    },
  },
  server: {
    // The form validation imports the API's own zod schemas from ../src.
    fs: { allow: ['..'] },
    proxy: { '/api': api, '/docs': api },
  },
});
