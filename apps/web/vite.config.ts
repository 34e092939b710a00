import { contract, contractRoutes } from '@lockstep/contract';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API's top-level paths, from the contract: what the dev server hands to the API. */
const apiPaths = [...new Set(contractRoutes(contract).map(({ route }) => `/${route.path.split('/')[1]}`))];
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

// Built into dist/ and served by the API at /app/ (same origin, no CORS). In development
// (`pnpm dev`) Vite serves it with hot reload and passes API requests to the API server.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
