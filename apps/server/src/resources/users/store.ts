import { type User, UserCreateSchema, type UserListQuery } from '@lockstep/contract';
import { changedColumns, type DatabaseReader, deleteItemRow, Prisma, selectRows, type UserRow } from '@lockstep/db';
import { notFound } from '../../core/api-error.js';
import { nextVersion, unlessMovedOn } from '../../core/constraints.js';
import type { ItemKey, ItemStore, Versioned } from '../../core/item-operations.js';
import { keysetPage, type ListFilter, type Page, type PageRequest, type SortField } from '../../core/paging.js';

export type UserData = Omit<User, 'id'>;
const columns: Record<keyof UserRow, true> = {
  id: true,
  name: true,
  username: true,
  email: true,
  address: true,
  phone: true,
  website: true,
  company: true,
  createdAt: true,
  updatedAt: true,
  version: true,
};
type UserSortField = SortField<UserListQuery['sort']>;
type UserFilter = ListFilter<UserListQuery>;

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

export async function listUsers(
  db: DatabaseReader,
  filter: UserFilter,
  page: PageRequest<UserSortField>,
): Promise<Page<User>> {
  return keysetPage(
    page,
    (keyset) => selectRows<UserRow>(db, { from: 'users', columns, where: filter, ...keyset }),
    toUser,
    { name: 'text' },
  );
}

async function findVersionedUser(db: DatabaseReader, { id }: ItemKey): Promise<Versioned<User>> {
  const [row] = await selectRows<UserRow>(db, { from: 'users', columns, where: { id } });
  if (!row) throw notFound('User', id);
  return { item: toUser(row), version: row.version };
}

export const findUser = async (db: DatabaseReader, key: ItemKey): Promise<User> =>
  (await findVersionedUser(db, key)).item;

export async function insertUser(db: DatabaseReader, data: UserData): Promise<User> {
  return toUser(await db.user.create({ data: toColumns(data) }));
}

/**
 * One user, for the item routes. A PATCH merges nested objects (address, company) member by
 * member and `null` removes a member; deleting a user cascades to the user's todos.
 */
export const userItems: ItemStore<ItemKey, User, UserData> = {
  find: findVersionedUser,
  update: async (db, { id }, data, version, current) => {
    const columns = changedColumns(toColumns(data), toColumns(current));
    const row = await unlessMovedOn(db.user.update({ where: { id, version }, data: { ...columns, ...nextVersion } }));
    return row && toUser(row);
  },
  remove: (db, { id }, version) => deleteItemRow(db, { table: 'users', id, version }),
  writable: ({ id: _id, ...data }) => data,
  schema: UserCreateSchema,
};
