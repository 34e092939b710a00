/**
 * Types end to end, down to the database: the queries are typed by Kysely's `DB` interface, which
 * prisma-kysely generates from the Prisma schema. A store that names a column the schema does not
 * have (`titel` for a todo's `title`) no longer type-checks, at the place it is used; the same
 * store spelt right does. The server's sources are copied and checked there, so the repository
 * is never touched.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const server = fileURLToPath(new URL('..', import.meta.url));
// Copies live in node_modules, ignored by git and the tools, where `@lockstep/db` resolves as it
// does for the sources themselves.
const workspace = join(server, 'node_modules', '.typo-check');
const tsc = join(server, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const todoStore = join('resources', 'todos', 'store.ts');

/**
 * Type-checks the copies of the server's sources in one program (one `tsc`: the libraries' types
 * are loaded once for both): the first line of each diagnostic, and the whole report.
 */
async function typecheck(copies: string[]): Promise<{ errors: string[]; report: string }> {
  const config = join(workspace, 'tsconfig.copies.json');
  await writeFile(
    config,
    JSON.stringify({ extends: join(server, 'tsconfig.json'), compilerOptions: { rootDir: '/' }, include: copies }),
  );
  return run(process.execPath, [tsc, '-p', config, '--noEmit'], { cwd: workspace }).then(
    () => ({ errors: [], report: '' }),
    (error: { stdout: string }) => ({
      errors: error.stdout.split('\n').filter((line) => /error TS\d+/.test(line)),
      report: error.stdout,
    }),
  );
}

let checked: { errors: string[]; report: string };

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  for (const copy of ['same', 'misspelt']) {
    await cp(join(server, 'src'), join(workspace, copy), {
      recursive: true,
      filter: (path) => !path.endsWith('.test.ts'),
    });
  }
  const store = join(workspace, 'misspelt', todoStore);
  const source = await readFile(store, 'utf8');
  const misspelt = source.replace(
    "const columns = ['userId', 'id', 'title',",
    "const columns = ['userId', 'id', 'titel',",
  );
  expect(misspelt).not.toBe(source);
  await writeFile(store, misspelt);
  checked = await typecheck(['same', 'misspelt']);
}, 120_000);
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('queries typed from the Prisma schema', () => {
  const errorsIn = (copy: string) => checked.errors.filter((line) => line.startsWith(`${copy}/`));

  it('type-check as they are (the control)', () => {
    expect(errorsIn('same')).toEqual([]);
  });

  it('fail to type-check where a store names a column the schema does not have', () => {
    const errors = errorsIn('misspelt');
    expect(errors.length).toBeGreaterThan(0);
    // Every diagnostic is the misspelt copy's, and in its one changed file.
    expect(new Set(checked.errors.map((line) => line.split('(')[0]))).toEqual(new Set([join('misspelt', todoStore)]));
    expect(checked.report).toMatch(/Type '"titel"' is not assignable to type 'SelectExpression<DB, "todos">'/);
  });
});
