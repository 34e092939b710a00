import { defineConfig } from 'tsup';

// ESM and CJS builds with their declarations, from one source: the client, and its TanStack
// Query bindings as a subpath. Dependencies (the contract, ts-rest, zod, tRPC) and the optional
// peer (@tanstack/react-query) stay external: consumers share one copy of each.
export default defineConfig({
  entry: ['src/index.ts', 'src/react-query.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
});
