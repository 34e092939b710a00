import { defineConfig } from 'tsup';

// ESM and CJS builds with their declarations, from one source. Dependencies (the contract,
// ts-rest, zod, tRPC) stay external: consumers share one copy of each.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  clean: true,
});
