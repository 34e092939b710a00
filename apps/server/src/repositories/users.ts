import type { User } from '@lockstep/contract';
import { type Database, Prisma, type UserRow } from '@lockstep/db';
import { keysetQuery, type Page, type PageRequest, toPage } from './keyset.js';

export type UserData = Omit<User, 'id'>;
export type UserSortField = 'id' | 'name';

/**
 * Rows leave the repository in JSONPlaceholder's member order, optional members omitted when
 * unset. `address` and `company` are JSON columns written only from contract-validated input,
 * which is why reading them back as the contract's types is sound.
 */
function toUser(row: UserRow): User {
  const user: User = { id: row.id, name: row.name };
  if (row.username !== null) user.username = row.username;
  if (row.email !== null) user.email = row.email;
  if (row.address !== null) user.address = row.address as User['address'];
  if (row.phone !== null) user.phone = row.phone;
  if (row.website !== null) user.website = row.website;
  if (row.company !== null) user.company = row.company as User['company'];
  return user;
}

/** Full-replacement column values: a member missing from `data` is cleared, not kept. */
function toColumns(data: UserData) {
  return {
    name: data.name,
    username: data.username ?? null,
    email: data.email ?? null,
    phone: data.phone ?? null,
    website: data.website ?? null,
    address: data.address ?? Prisma.DbNull,
    company: data.company ?? Prisma.DbNull,
  };
}

export class UserRepository {
  constructor(private readonly db: Database) {}

  async list(filter: { username?: string; email?: string }, page: PageRequest<UserSortField>): Promise<Page<User>> {
    const { where, orderBy, take } = keysetQuery(page);
    const rows = await this.db.user.findMany({
      where: { ...filter, ...(where as Prisma.UserWhereInput) },
      orderBy: orderBy as Prisma.UserOrderByWithRelationInput[],
      take,
    });
    return toPage(rows.map(toUser), page, (user) => user[page.sort.field]);
  }

  async find(id: number): Promise<User | null> {
    const row = await this.db.user.findUnique({ where: { id } });
    return row && toUser(row);
  }

  async exists(id: number): Promise<boolean> {
    return (await this.db.user.count({ where: { id } })) > 0;
  }

  async create(data: UserData): Promise<User> {
    return toUser(await this.db.user.create({ data: toColumns(data) }));
  }

  /** Read-change-write in one transaction; `null` for an unknown id. */
  async modify(id: number, change: (current: User) => UserData): Promise<User | null> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.user.findUnique({ where: { id } });
      if (!current) return null;
      const next = change(toUser(current));
      return toUser(await tx.user.update({ where: { id }, data: toColumns(next) }));
    });
  }

  /** Deletes the user (the database cascades to the user's todos) after `check` accepts it. */
  async delete(id: number, check: (current: User) => void = () => {}): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.user.findUnique({ where: { id } });
      if (!current) return false;
      check(toUser(current));
      await tx.user.delete({ where: { id } });
      return true;
    });
  }
}
