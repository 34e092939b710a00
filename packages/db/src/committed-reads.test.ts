/**
 * The results of recent reads on the committed-reads connection: kept while nothing commits,
 * and never served once a write has committed, from this process's writer or another process.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { committedReadsOf, type Database } from './database.js';
import { selectRows } from './select.js';
import { openSeededSqlite } from './testing.js';

let db: Database;
let file: string;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ db, file, dispose } = await openSeededSqlite());
});
afterEach(() => dispose());

const firstPage = () =>
  selectRows<{ id: number; title: string; completed: boolean }>(db, {
    from: 'todos',
    columns: { id: true, title: true, completed: true },
    orderBy: [{ column: 'id', direction: 'asc' }],
    limit: 10,
  });
const recentResults = () => committedReadsOf(db)?.recentResults.results;

describe('recent results of committed reads', () => {
  it('serves a page read again from what it kept, until this process writes', async () => {
    const before = await firstPage();
    expect(recentResults()).toBe(1);
    expect(await firstPage()).toEqual(before);
    expect(recentResults()).toBe(1);

    await db.todo.update({ where: { id: 3 }, data: { title: 'written by this process' } });
    const after = await firstPage();
    expect(after[2]?.title).toBe('written by this process');
    expect(after.filter((row, n) => row.title !== before[n]?.title)).toHaveLength(1);
  });

  it('sees at once what another process committed to the file', async () => {
    await firstPage();
    const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
    const write = `new (require(${JSON.stringify(betterSqlite3)}))(${JSON.stringify(file)}).prepare("UPDATE todos SET completed = NOT completed WHERE id = 1").run()`;
    const before = (await firstPage())[0]?.completed;
    execFileSync(process.execPath, ['-e', write]);
    expect((await firstPage())[0]?.completed).toBe(!before);
  });

  it('hands every caller rows of its own: changing one does not change the next read', async () => {
    const [first] = await firstPage();
    if (first) first.title = 'changed by a caller';
    expect((await firstPage())[0]?.title).not.toBe('changed by a caller');
  });

  it('keeps results apart by the values bound: one owner’s rows are never another’s', async () => {
    await db.transaction.createMany({
      data: ['a', 'b'].map((ownerId) => ({
        ownerId,
        amount: 1n,
        currency: 'EUR',
        description: `of ${ownerId}`,
        occurredAt: new Date(),
      })),
    });
    const of = async (ownerId: string) =>
      (
        await selectRows<{ description: string }>(db, {
          from: 'transactions',
          columns: { description: true },
          where: { ownerId },
        })
      ).map((row) => row.description);
    expect(await of('a')).toEqual(['of a']);
    expect(await of('b')).toEqual(['of b']);
    expect(await of('a')).toEqual(['of a']);
  });
});
