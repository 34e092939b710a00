import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The HTTP suites again on the local PostgreSQL: the same test files, with test servers on
 * databases copied from one migrated, seeded template per run (dropped at the end). The tests
 * whose subject is HTTP behaviour (and crash and shutdown behaviour) run twice; tests of start-up,
 * configuration, the dev command and SQLite's own file stay single.
 */
function onPostgresql(packageDir: string, name: string, files: string[]): TestProjectInlineConfiguration {
  return {
    root: `./${packageDir}`,
    test: {
      name: `${name} (postgresql)`,
      include: files,
      // As the packages' own configs: servers and browsers start in hooks.
      testTimeout: 120_000,
      hookTimeout: 120_000,
      env: { LOCKSTEP_TEST_ENGINE: 'postgresql' },
      globalSetup: [`${import.meta.dirname}/apps/server/src/testing/postgresql-setup.ts`],
    },
  };
}

// One run over every package, so `pnpm test` ends with a single summary line.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      { test: { name: 'workspace', include: ['scripts/*.test.ts'] } },
      onPostgresql('apps/server', 'server', [
        'src/http-contract.test.ts',
        'src/feeds.test.ts',
        'src/owned.test.ts',
        'src/tutorial.test.ts',
        'src/tutorial.python.test.ts',
        'src/fuzz.test.ts',
        'src/keys-cli.test.ts',
        'src/shutdown.test.ts',
        'src/idempotency-crash.test.ts',
        'src/cors.test.ts',
        'src/lifecycle.test.ts',
        'src/home.test.ts',
        'src/openapi-rules.test.ts',
        'src/openapi-consumers.test.ts',
        'src/telemetry.test.ts',
      ]),
      onPostgresql('packages/conformance', 'conformance', ['src/verify.test.ts']),
      onPostgresql('packages/client', 'client', [
        'test/rest-trpc-parity.test.ts',
        'test/react-query.test.ts',
        'test/rate-limit.test.ts',
        'test/idempotency.test.ts',
        'test/usage-ledger.test.ts',
      ]),
      onPostgresql('apps/web', 'web', ['test/app.test.ts']),
    ],
  },
});
