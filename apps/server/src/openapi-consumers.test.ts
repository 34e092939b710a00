/**
 * The served OpenAPI document is usable by code generators we did not write: openapi-typescript
 * turns it into types, and a consumer on openapi-fetch type-checks against them with TypeScript
 * in strict mode. Correct calls compile and run against the server; wrong ones (a currency outside
 * ISO 4217, a missing member, a member of the wrong type, a path that does not exist) do not
 * compile. (openapi-fetch takes a request body through a generic parameter, so it does not flag
 * an unknown member of a body literal; the server answers that with 422.)
 *
 * openapi-typescript runs with `defaultNonNullable: false`: by default it makes every member with
 * a `default` required, which is right for answers and wrong for request bodies, where the
 * server fills the default in (a transaction's `description`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, startTestServer, type TestServer } from './testing.js';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(serverDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

let server: TestServer;
let token: string;
let dir: string;

/** A consumer's program, as its author would write it from the generated types. */
const CONSUMER = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type TodoPatch = components['schemas']['TodoPatch'];

export async function consume(baseUrl: string, token: string) {
  const api = createClient<paths>({ baseUrl });
  const auth = { authorization: \`Bearer \${token}\` };
  const todo = await api.GET('/todos/{id}', { params: { path: { id: 1 } } });
  const title: string | undefined = todo.data?.title;
  const patch: TodoPatch = { completed: true };
  const patched = await api.PATCH('/todos/{id}', { params: { path: { id: 1 } }, body: patch });
  const page = await api.GET('/todos', { params: { query: { userId: 1, sort: '-title', limit: 2 } } });
  const created = await api.POST('/transactions', {
    params: { header: { 'Idempotency-Key': 'consumer-1' } },
    headers: auth,
    body: { amount: 1250, currency: 'EUR', occurredAt: '2026-11-25T10:00:00Z' },
  });
  const currency: components['schemas']['Transaction']['currency'] | undefined = created.data?.currency;
  const missing = await api.GET('/todos/{id}', { params: { path: { id: 999999 } } });
  const problem: components['schemas']['Problem'] | undefined = missing.error;
  return {
    title,
    completed: patched.data?.completed,
    pageSize: page.data?.length,
    currency,
    problemStatus: problem?.status,
  };
}
`;

/** Calls a consumer must not be able to write: each line is expected to be a type error. */
const WRONG = `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:1' });
const occurredAt = '2026-11-25T10:00:00Z';
// @ts-expect-error: not an ISO 4217 code of the enum
await api.POST('/transactions', { body: { amount: 1, currency: 'KFL', occurredAt } });
// @ts-expect-error: a todo needs a title
await api.POST('/todos', { body: { userId: 1 } });
// @ts-expect-error: completed is a boolean
await api.PATCH('/todos/{id}', { params: { path: { id: 1 } }, body: { completed: 'yes' } });
// @ts-expect-error: an rsvp outside the enum
await api.POST('/events/{eventId}/guests', { params: { path: { eventId: 1 } }, body: { name: 'G', email: 'g@example.com', rsvp: 'soon' } });
// @ts-expect-error: no such path
await api.GET('/todo/{id}', { params: { path: { id: 1 } } });
// @ts-expect-error: a sort the list does not offer
await api.GET('/todos', { params: { query: { sort: 'userId' } } });
const todo = await api.GET('/todos/{id}', { params: { path: { id: 1 } } });
// @ts-expect-error: a todo has no member "titel"
todo.data?.titel;
`;

/** Runs tsc (strict, NodeNext) over the given files of the consumer's project. */
function typecheck(files: string[]): Promise<{ ok: boolean; output: string }> {
  return run(process.execPath, [tsc, '-p', join(dir, `tsconfig.${files.join('+')}.json`)], { cwd: dir }).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout: string }) => ({ ok: false, output: error.stdout }),
  );
}

async function writeProject(files: string[]) {
  const compilerOptions = {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  await writeFile(join(dir, `tsconfig.${files.join('+')}.json`), JSON.stringify({ compilerOptions, files }));
}

beforeAll(async () => {
  server = await startTestServer();
  token = (await createKey(server)).token;
  dir = await mkdtemp(join(tmpdir(), 'lockstep-openapi-consumer-'));
  // The consumer's own project: ESM, with the server package's node_modules for openapi-fetch.
  await symlink(join(serverDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Parameters<typeof openapiTS>[0];
  await writeFile(join(dir, 'api.ts'), astToString(await openapiTS(served, { defaultNonNullable: false })));
  await writeFile(join(dir, 'consumer.ts'), CONSUMER);
  await writeFile(join(dir, 'wrong.ts'), WRONG);
  await writeFile(
    join(dir, 'one-wrong.ts'),
    WRONG.replace('// @ts-expect-error: not an ISO 4217', '// not an ISO 4217'),
  );
  for (const files of [['consumer.ts', 'wrong.ts'], ['one-wrong.ts']]) await writeProject(files);
}, 60_000);
afterAll(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a TypeScript client generated from the served document (openapi-typescript + openapi-fetch)', () => {
  it('names each concept once: one type per resource and body', async () => {
    const { readFile } = await import('node:fs/promises');
    const types = await readFile(join(dir, 'api.ts'), 'utf8');
    for (const name of ['Todo', 'TodoCreate', 'TodoPatch', 'TodoList', 'TransactionCreate', 'GuestPatch', 'Problem']) {
      expect(types).toMatch(new RegExp(`\\n\\s+${name}: \\{|\\n\\s+${name}: components`));
    }
  });

  it('compiles correct calls, and refuses each wrong one', async () => {
    const checked = await typecheck(['consumer.ts', 'wrong.ts']);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);
  }, 60_000);

  it('reports a wrong call written without the expectation as the type error it is', async () => {
    const checked = await typecheck(['one-wrong.ts']);
    expect(checked.ok).toBe(false);
    expect(checked.output).toMatch(/one-wrong\.ts\(7,\d+\): error TS2322: Type '"KFL"' is not assignable/);
  }, 60_000);

  it('runs the correct calls against the server', async () => {
    const { consume } = (await import(join(dir, 'consumer.ts'))) as {
      consume: (baseUrl: string, token: string) => Promise<Record<string, unknown>>;
    };
    expect(await consume(server.url, token)).toEqual({
      title: 'delectus aut autem',
      completed: true,
      pageSize: 2,
      currency: 'EUR',
      problemStatus: 404,
    });
  });
});
