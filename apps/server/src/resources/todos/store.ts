import { type Todo, TodoCreateSchema, type TodoListQuery } from '@lockstep/contract';
import {
  type DatabaseReader,
  deleteItemRow,
  insertItemRow,
  type Prisma,
  selectRows,
  updateItemRow,
} from '@lockstep/db';
import { ApiError, notFound } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
import type { ItemKey, ItemStore, Versioned } from '../../core/item-operations.js';
import { keysetPage, type ListFilter, type Page, type PageRequest, type SortField } from '../../core/paging.js';

export type TodoData = Omit<Todo, 'id'>;
type TodoSortField = SortField<TodoListQuery['sort']>;
type TodoFilter = ListFilter<TodoListQuery>;

const columns = { userId: true, id: true, title: true, completed: true } as const;
type Row = Prisma.TodoGetPayload<{ select: typeof columns }>;
const versioned = { ...columns, version: true } as const;

/** Rows leave in JSONPlaceholder's member order: userId, id, title, completed. */
const toTodo = (row: Row): Todo => ({
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

/** One keyset page, on an index that starts with the filtered columns. */
export async function listTodos(
  db: DatabaseReader,
  filter: TodoFilter,
  page: PageRequest<TodoSortField>,
): Promise<Page<Todo>> {
  return keysetPage(
    page,
    (keyset) => selectRows<Row>(db, { from: 'todos', columns, where: filter, ...keyset }),
    toTodo,
    { title: 'text' },
  );
}

async function findVersionedTodo(db: DatabaseReader, { id }: ItemKey): Promise<Versioned<Todo>> {
  const [row] = await selectRows<Row & { version: number }>(db, { from: 'todos', columns: versioned, where: { id } });
  if (!row) throw notFound('Todo', id);
  return { item: toTodo(row), version: row.version };
}

export async function insertTodo(db: DatabaseReader, data: TodoData): Promise<Todo> {
  return toTodo(
    await withConstraints(insertItemRow<Row>(db, { table: 'todos', values: data, returning: columns }), {
      foreignKey: unknownUser(data.userId),
    }),
  );
}

async function updateTodo(db: DatabaseReader, { id }: ItemKey, data: TodoData, version: number, current: TodoData) {
  const row = await withConstraints(
    updateItemRow<Row>(db, { table: 'todos', values: data, current, returning: columns, id, version }),
    { foreignKey: unknownUser(data.userId) },
  );
  return row && toTodo(row);
}

/** One todo, for the item routes: found by id, written whole, validated as a create body. */
export const todoItems: ItemStore<ItemKey, Todo, TodoData> = {
  find: findVersionedTodo,
  update: updateTodo,
  remove: (db, { id }, version) => deleteItemRow(db, { table: 'todos', id, version }),
  writable: ({ userId, title, completed }) => ({ userId, title, completed }),
  schema: TodoCreateSchema,
};
