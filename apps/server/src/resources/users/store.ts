import { type User, UserCreateSchema, type UserListQuery } from '@lockstep/contract';
import type { DataAccess, DB, Queries } from '@lockstep/db';
import type { Selectable } from 'kysely';
import { type ItemKey, type ItemStore, type Versioned, versionedOrNotFound } from '../../core/item-operations.js';
import { changedColumns, deleteItem, nextVersionOf, stamped } from '../../core/item-rows.js';
import {
  equalities,
  keysetPage,
  type ListFilter,
  type Page,
  type PageRequest,
  type SortField,
} from '../../core/paging.js';

export type UserData = Omit<User, 'id'>;
type UserSortField = SortField<UserListQuery['sort']>;

const columns = ['id', 'name', 'username', 'email', 'address', 'phone', 'website', 'company'] as const;
const selectUsers = (db: Queries) => db.selectFrom('users').select(columns);
type Row = Pick<Selectable<DB['users']>, (typeof columns)[number]>;

/**
 * Rows leave in JSONPlaceholder's member order, optional members omitted when unset.
 * `address` and `company` are JSON columns written only from contract-validated input, which is
 * why reading them back as the contract's types is sound.
 */
function toUser(row: Row): User {
  const user: User = { id: row.id, name: row.name };
  if (row.username !== null) user.username = row.username;
  if (row.email !== null) user.email = row.email;
  if (row.address !== null) user.address = row.address as User['address'];
  if (row.phone !== null) user.phone = row.phone;
  if (row.website !== null) user.website = row.website;
  if (row.company !== null) user.company = row.company as User['company'];
  return user;
}

/** Full-replacement column values: a member missing from `data` is cleared, not kept. JSON is written as its text. */
function toColumns(data: UserData) {
  return {
    name: data.name,
    username: data.username ?? null,
    email: data.email ?? null,
    phone: data.phone ?? null,
    website: data.website ?? null,
    address: data.address === undefined ? null : JSON.stringify(data.address),
    company: data.company === undefined ? null : JSON.stringify(data.company),
  };
}

export function listUsers(
  db: DataAccess,
  filter: ListFilter<UserListQuery>,
  page: PageRequest<UserSortField>,
): Promise<Page<User>> {
  const query = selectUsers(db.read).where((eb) => eb.and(equalities(filter)));
  return keysetPage(query, page, toUser, { name: 'text' });
}

async function findVersionedUser(db: DataAccess, { id }: ItemKey): Promise<Versioned<User>> {
  const row = await selectUsers(db.read).select('version').where('id', '=', id).executeTakeFirst();
  return versionedOrNotFound(row, toUser, 'User', id);
}

export const findUser = async (db: DataAccess, key: ItemKey): Promise<User> => (await findVersionedUser(db, key)).item;

export async function insertUser(db: DataAccess, data: UserData): Promise<User> {
  return toUser(
    await db.write
      .insertInto('users')
      .values(stamped(toColumns(data)))
      .returning(columns)
      .executeTakeFirstOrThrow(),
  );
}

/**
 * One user, for the item routes. A PATCH merges nested objects (address, company) member by
 * member and `null` removes a member; deleting a user cascades to the user's todos.
 */
export const userItems: ItemStore<ItemKey, User, UserData> = {
  find: findVersionedUser,
  update: async (db, { id }, data, version, current) => {
    const row = await db.write
      .updateTable('users')
      .set(nextVersionOf(changedColumns(toColumns(data), toColumns(current))))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(columns)
      .executeTakeFirst();
    return row && toUser(row);
  },
  remove: (db, { id }, version) => deleteItem(db, 'users', id, version),
  feed: { resource: 'users', cascadesTo: 'todos' },
  writable: ({ id: _id, ...data }) => data,
  schema: UserCreateSchema,
};
