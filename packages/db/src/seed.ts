import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { DataAccess, Database } from './database.js';
import type { DB } from './generated/kysely.js';
import { fixturePath } from './paths.js';

/** The parts of JSONPlaceholder's db.json this project serves. */
interface Fixture {
  users: Array<{
    id: number;
    name: string;
    username?: string;
    email?: string;
    phone?: string;
    website?: string;
    address?: object;
    company?: object;
  }>;
  todos: Array<{ userId: number; id: number; title: string; completed: boolean }>;
}

async function readFixture(path: string): Promise<Fixture> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as Fixture).users) ||
    !Array.isArray((parsed as Fixture).todos)
  ) {
    throw new Error(`${path} is not a JSONPlaceholder db.json (no users or todos array).`);
  }
  return parsed as Fixture;
}

export interface SeedResult {
  seeded: boolean;
  users: number;
  todos: number;
}

/**
 * Loads JSONPlaceholder's users and todos, with their original ids, into an empty database, so
 * `GET /todos/1` answers what every tutorial shows and the next todo created gets id 201. A
 * database that already holds users is left alone: seeding never overwrites anyone's data.
 */
export async function seedIfEmpty(db: Database, path = fixturePath): Promise<SeedResult> {
  const notSeeded: SeedResult = { seeded: false, users: 0, todos: 0 };
  const hasUsers = async (access: DataAccess) =>
    (await access.read.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  // Every start but the first finds data: answer then without reading the fixture at all.
  if (await hasUsers(db)) return notSeeded;
  const fixture = await readFixture(path);
  const now = new Date();
  return db.transaction(async (tx) => {
    // Checked again inside the transaction: another process may have seeded meanwhile.
    if (await hasUsers(tx)) return notSeeded;
    await tx.write
      .insertInto('users')
      .values(
        fixture.users.map(({ id, name, username, email, phone, website, address, company }) => ({
          id,
          name,
          username: username ?? null,
          email: email ?? null,
          phone: phone ?? null,
          website: website ?? null,
          address: address === undefined ? null : JSON.stringify(address),
          company: company === undefined ? null : JSON.stringify(company),
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute();
    await tx.write
      .insertInto('todos')
      .values(
        fixture.todos.map(({ id, userId, title, completed }) => ({
          id,
          userId,
          title,
          completed,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute();
    await advanceIdSequences(tx, ['users', 'todos']);
    return { seeded: true, users: fixture.users.length, todos: fixture.todos.length };
  });
}

/**
 * Rows inserted with explicit ids leave PostgreSQL's id sequences where they were (SQLite's
 * AUTOINCREMENT follows the largest id by itself): move each table's past its largest id, so the
 * next todo created is 201 on both engines. Nothing to do on SQLite.
 */
export async function advanceIdSequences(db: DataAccess, tables: readonly (keyof DB)[]): Promise<void> {
  if (db.engine !== 'postgresql') return;
  for (const table of tables) {
    await sql`SELECT setval(pg_get_serial_sequence(${`"${table}"`}, 'id'), (SELECT MAX(id) FROM ${sql.table(table)}))`.execute(
      db.write,
    );
  }
}
