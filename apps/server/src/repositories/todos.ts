import type { Todo } from '@lockstep/contract';
import type { Database, Prisma, TodoRow } from '@lockstep/db';
import { isForeignKeyViolation, MissingReferenceError } from './errors.js';
import { keysetQuery, type Page, type PageRequest, toPage } from './keyset.js';

export type TodoData = Omit<Todo, 'id'>;

export type TodoSortField = 'id' | 'title';

export interface TodoFilter {
  userId?: number;
  completed?: boolean;
}

/** Rows leave the repository in JSONPlaceholder's member order: userId, id, title, completed. */
const toTodo = (row: Pick<TodoRow, 'userId' | 'id' | 'title' | 'completed'>): Todo => ({
  userId: row.userId,
  id: row.id,
  title: row.title,
  completed: row.completed,
});

const columns = { userId: true, id: true, title: true, completed: true } as const;

export class TodoRepository {
  constructor(private readonly db: Database) {}

  /** One keyset page, on an index that starts with the filtered columns. */
  async list(filter: TodoFilter, page: PageRequest<TodoSortField>): Promise<Page<Todo>> {
    const { where, orderBy, take } = keysetQuery(page);
    const rows = await this.db.todo.findMany({
      where: { ...filter, ...(where as Prisma.TodoWhereInput) },
      orderBy: orderBy as Prisma.TodoOrderByWithRelationInput[],
      take,
      select: columns,
    });
    return toPage(rows.map(toTodo), page, (todo) => todo[page.sort.field]);
  }

  async find(id: number): Promise<Todo | null> {
    const row = await this.db.todo.findUnique({ where: { id }, select: columns });
    return row && toTodo(row);
  }

  async create(data: TodoData): Promise<Todo> {
    try {
      return toTodo(await this.db.todo.create({ data, select: columns }));
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new MissingReferenceError('userId');
      throw error;
    }
  }

  /**
   * Reads the todo and writes what `change` makes of it in one transaction, so a concurrent
   * write cannot slip between the read and the write. Answers `null` for an unknown id.
   */
  async modify(id: number, change: (current: Todo) => TodoData): Promise<Todo | null> {
    try {
      return await this.db.$transaction(async (tx) => {
        const current = await tx.todo.findUnique({ where: { id }, select: columns });
        if (!current) return null;
        const next = change(toTodo(current));
        return toTodo(await tx.todo.update({ where: { id }, data: next, select: columns }));
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new MissingReferenceError('userId');
      throw error;
    }
  }

  /** Deletes after `check` accepts the current row (it throws to refuse); false when absent. */
  async delete(id: number, check: (current: Todo) => void = () => {}): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const current = await tx.todo.findUnique({ where: { id }, select: columns });
      if (!current) return false;
      check(toTodo(current));
      await tx.todo.delete({ where: { id } });
      return true;
    });
  }
}
