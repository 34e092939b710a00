/**
 * Lockstep, demonstrated: rename a member in the contract (an event's `capacity` becomes
 * `maxGuests`) and the web app no longer type-checks, at each place that used it; rename it in
 * the app as well and it type-checks again. The contract is renamed in a copy, compiled in
 * place of the real one through `paths`, so the repository is never touched.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const web = fileURLToPath(new URL('..', import.meta.url));
const contract = fileURLToPath(new URL('../../../packages/contract', import.meta.url));
// Copies live in node_modules, ignored by git and the tools; the contract's own, so that its
// copy resolves zod and ts-rest exactly as the original does.
const contractCopy = join(contract, 'node_modules', '.rename-check');
const workspace = join(web, 'node_modules', '.rename-check');
const tsc = join(web, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

/** Renames an identifier in every file of a folder (whole words only). */
async function rename(folder: string, from: string, to: string): Promise<void> {
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    await writeFile(file, (await readFile(file, 'utf8')).replace(new RegExp(`\\b${from}\\b`, 'g'), to));
  }
}

/** Type-checks a copy of the app's sources against a copy of the contract; the diagnostics, one per line. */
async function typecheck(name: string, sources: string, contractSources: string): Promise<string[]> {
  const config = join(workspace, `tsconfig.${name}.json`);
  await writeFile(
    config,
    JSON.stringify({
      extends: join(web, 'tsconfig.json'),
      compilerOptions: { rootDir: '/', paths: { '@lockstep/contract': [join(contractSources, 'index.ts')] } },
      include: [sources],
    }),
  );
  return run(process.execPath, [tsc, '-p', config, '--noEmit'], { cwd: web }).then(
    () => [],
    (error: { stdout: string }) => error.stdout.split('\n').filter((line) => /error TS\d+/.test(line)),
  );
}

beforeAll(async () => {
  await rm(contractCopy, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  await cp(join(contract, 'src'), join(contractCopy, 'same'), {
    recursive: true,
    filter: (path) => !path.endsWith('.test.ts'),
  });
  await cp(join(contractCopy, 'same'), join(contractCopy, 'renamed'), { recursive: true });
  await rename(join(contractCopy, 'renamed'), 'capacity', 'maxGuests');
  await cp(join(web, 'src'), join(workspace, 'app'), { recursive: true });
  await cp(join(web, 'src'), join(workspace, 'app-followed'), { recursive: true });
  await rename(join(workspace, 'app-followed'), 'capacity', 'maxGuests');
});
afterAll(async () => {
  await rm(contractCopy, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

describe('the web app and the contract, in lockstep', () => {
  it('type-checks against a copy of the contract as it is (the control)', async () => {
    expect(await typecheck('same', join(workspace, 'app'), join(contractCopy, 'same'))).toEqual([]);
  });

  it('fails to type-check where it uses a member the contract renamed', async () => {
    const errors = await typecheck('renamed', join(workspace, 'app'), join(contractCopy, 'renamed'));
    const files = new Set(errors.map((line) => /app\/(\w+\.tsx)/.exec(line)?.[1]));
    expect([...files].sort()).toEqual(['EventPage.tsx', 'Events.tsx']);
    expect(errors.join('\n')).toMatch(/'capacity'/);
  });

  it('type-checks again once the app follows the rename', async () => {
    expect(await typecheck('followed', join(workspace, 'app-followed'), join(contractCopy, 'renamed'))).toEqual([]);
  });
});
