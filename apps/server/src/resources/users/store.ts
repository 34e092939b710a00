import type { User } from '@lockstep/contract';
import { type Database, type DatabaseTransaction, Prisma, type UserRow } from '@lockstep/db';
import { notFound } from '../../core/api-error.js';
import { keysetQuery, type Page, type PageRequest, toPage } from '../../core/paging.js';

export type UserData = Omit<User, 'id'>;
export type UserSortField = 'id' | 'name';
export interface UserFilter {
  username?: string;
  email?: string;
}

type Reader = Database | DatabaseTransaction;

/**
 * Rows leave in JSONPlaceholder's member order, optional members omitted when unset.
 * `address` and `company` are JSON columns written only from contract-validated input, which is
 * why reading them back as the contract's types is sound.
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

/** The writable members of a user: everything but the id. */
export const writableUser = ({ id: _id, ...data }: User): UserData => data;

export async function listUsers(db: Reader, filter: UserFilter, page: PageRequest<UserSortField>): Promise<Page<User>> {
  const { where, orderBy, take } = keysetQuery(page);
  const rows = await db.user.findMany({
    where: { ...filter, ...(where as Prisma.UserWhereInput) },
    orderBy: orderBy as Prisma.UserOrderByWithRelationInput[],
    take,
  });
  return toPage(rows.map(toUser), page, (user) => user[page.sort.field]);
}

export async function findUser(db: Reader, id: number): Promise<User> {
  const row = await db.user.findUnique({ where: { id } });
  if (!row) throw notFound('User', id);
  return toUser(row);
}

export async function insertUser(db: Reader, data: UserData): Promise<User> {
  return toUser(await db.user.create({ data: toColumns(data) }));
}

export async function updateUser(tx: DatabaseTransaction, id: number, data: UserData): Promise<User> {
  return toUser(await tx.user.update({ where: { id }, data: toColumns(data) }));
}

/** The database cascades to the user's todos. */
export async function deleteUser(tx: DatabaseTransaction, id: number): Promise<void> {
  await tx.user.delete({ where: { id } });
}
