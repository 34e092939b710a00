import type { Todo } from '@lockstep/contract';
import type { Database, DatabaseTransaction, Prisma } from '@lockstep/db';
import { ApiError, notFound } from '../../core/api-error.js';
import { withConstraints } from '../../core/constraints.js';
import { keysetQuery, type Page, type PageRequest, toPage } from '../../core/paging.js';

export type TodoData = Omit<Todo, 'id'>;
export type TodoSortField = 'id' | 'title';
export interface TodoFilter {
  userId?: number;
  completed?: boolean;
}

type Reader = Database | DatabaseTransaction;

const columns = { userId: true, id: true, title: true, completed: true } as const;

/** Rows leave in JSONPlaceholder's member order: userId, id, title, completed. */
const toTodo = (row: Prisma.TodoGetPayload<{ select: typeof columns }>): Todo => ({
  userId: row.userId,
  id: row.id,
  title: row.title,
  completed: row.completed,
});

/** The writable members of a todo: what a PUT replaces and a PATCH merges into. */
export const writableTodo = ({ userId, title, completed }: Todo): TodoData => ({ userId, title, completed });

/** A todo names its user; a user that does not exist is a 422 naming the field. */
const unknownUser = (userId: number) => () =>
  new ApiError(422, {
    detail: `No user has id ${userId}.`,
    errors: [{ path: '/userId', message: `no user has id ${userId}`, code: 'unknown_reference' }],
  });

/** One keyset page, on an index that starts with the filtered columns. */
export async function listTodos(db: Reader, filter: TodoFilter, page: PageRequest<TodoSortField>): Promise<Page<Todo>> {
  const { where, orderBy, take } = keysetQuery(page);
  const rows = await db.todo.findMany({
    where: { ...filter, ...(where as Prisma.TodoWhereInput) },
    orderBy: orderBy as Prisma.TodoOrderByWithRelationInput[],
    take,
    select: columns,
  });
  return toPage(rows.map(toTodo), page, (todo) => todo[page.sort.field]);
}

export async function findTodo(db: Reader, id: number): Promise<Todo> {
  const row = await db.todo.findUnique({ where: { id }, select: columns });
  if (!row) throw notFound('Todo', id);
  return toTodo(row);
}

export async function insertTodo(db: Reader, data: TodoData): Promise<Todo> {
  return toTodo(
    await withConstraints(db.todo.create({ data, select: columns }), { foreignKey: unknownUser(data.userId) }),
  );
}

export async function updateTodo(tx: DatabaseTransaction, id: number, data: TodoData): Promise<Todo> {
  return toTodo(
    await withConstraints(tx.todo.update({ where: { id }, data, select: columns }), {
      foreignKey: unknownUser(data.userId),
    }),
  );
}

export async function deleteTodo(tx: DatabaseTransaction, id: number): Promise<void> {
  await tx.todo.delete({ where: { id } });
}
