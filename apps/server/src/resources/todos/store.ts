import { type Todo, TodoCreateSchema, type TodoListQuery } from '@lockstep/contract';
import type { DataAccess, Queries } from '@lockstep/db';
import { ApiError } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
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

export type TodoData = Omit<Todo, 'id'>;
type TodoSortField = SortField<TodoListQuery['sort']>;

/** Rows leave in JSONPlaceholder's member order: userId, id, title, completed. */
const columns = ['userId', 'id', 'title', 'completed'] as const;

const toTodo = (row: Todo): Todo => ({
  userId: row.userId,
  id: row.id,
  title: row.title,
  completed: row.completed,
});

/** A todo names its user; a user that does not exist is a 422 naming the field. */
const unknownUser = (userId: number) => () =>
  new ApiError(422, {
    detail: `No user has id ${userId}.`,
    errors: [{ path: '/userId', message: `no user has id ${userId}`, code: 'unknown_reference' }],
  });

const selectTodos = (db: Queries) => db.selectFrom('todos').select(columns);

/** One keyset page, on an index that starts with the filtered columns. */
export function listTodos(
  db: DataAccess,
  filter: ListFilter<TodoListQuery>,
  page: PageRequest<TodoSortField>,
): Promise<Page<Todo>> {
  const query = selectTodos(db.read).where((eb) => eb.and(equalities(filter)));
  return keysetPage(query, page, toTodo, { title: 'text' });
}

async function findVersionedTodo(db: DataAccess, { id }: ItemKey): Promise<Versioned<Todo>> {
  const row = await selectTodos(db.read).select('version').where('id', '=', id).executeTakeFirst();
  return versionedOrNotFound(row, toTodo, 'Todo', id);
}

export async function insertTodo(db: DataAccess, data: TodoData): Promise<Todo> {
  const insert = db.write.insertInto('todos').values(stamped(data)).returning(columns).executeTakeFirstOrThrow();
  return toTodo(await withConstraints(insert, { foreignKey: unknownUser(data.userId) }));
}

/** One todo, for the item routes: found by id, written whole, validated as a create body. */
export const todoItems: ItemStore<ItemKey, Todo, TodoData> = {
  find: findVersionedTodo,
  update: async (db, { id }, data, version, current) => {
    const update = db.write
      .updateTable('todos')
      .set(nextVersionOf(changedColumns(data, current)))
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(columns)
      .executeTakeFirst();
    const row = await withConstraints(update, { foreignKey: unknownUser(data.userId) });
    return row && toTodo(row);
  },
  remove: (db, { id }, version) => deleteItem(db, 'todos', id, version),
  writable: ({ userId, title, completed }) => ({ userId, title, completed }),
  schema: TodoCreateSchema,
  feed: { resource: 'todos', parentOf: (todo) => todo.userId },
};
