import { defineProject } from 'vitest/config';

export default defineProject({
  // Off UTC, so that an instant read or bound in the process's local time shows up as a slip.
  test: { name: 'db', include: ['src/**/*.test.ts'], testTimeout: 30_000, env: { TZ: 'Pacific/Auckland' } },
});
