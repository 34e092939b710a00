import type { Todo } from '@lockstep/contract';
import type { Database, TodoRow } from '@lockstep/db';
import { isForeignKeyViolation, isRecordNotFound, MissingReferenceError } from './errors.js';

export type TodoData = Omit<Todo, 'id'>;

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

  /** Ordered by id on an index that ends in id, so the first `limit` rows are read, no more. */
  async list(filter: TodoFilter, limit: number): Promise<Todo[]> {
    const rows = await this.db.todo.findMany({ where: filter, orderBy: { id: 'asc' }, take: limit, select: columns });
    return rows.map(toTodo);
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

  async delete(id: number): Promise<boolean> {
    try {
      await this.db.todo.delete({ where: { id }, select: { id: true } });
      return true;
    } catch (error) {
      if (isRecordNotFound(error)) return false;
      throw error;
    }
  }
}
