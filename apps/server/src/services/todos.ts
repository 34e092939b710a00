import type { Todo, TodoCreate, TodoPatch, TodoReplace } from '@lockstep/contract';
import { MissingReferenceError } from '../repositories/errors.js';
import type { Page, PageRequest } from '../repositories/keyset.js';
import type { TodoData, TodoFilter, TodoRepository, TodoSortField } from '../repositories/todos.js';
import type { UserRepository } from '../repositories/users.js';
import { InvalidInputError, NotFoundError } from './errors.js';
import { enforce, type Precondition } from './preconditions.js';
import { assertSameId } from './validation.js';

const unknownUser = (userId: number) =>
  new InvalidInputError(`No user has id ${userId}.`, [
    { path: '/userId', message: `no user has id ${userId}`, code: 'unknown_reference' },
  ]);

/** The rules for todos. Input arrives already shaped by the contract's schemas. */
export class TodoService {
  constructor(
    private readonly todos: TodoRepository,
    private readonly users: UserRepository,
  ) {}

  list(filter: TodoFilter, page: PageRequest<TodoSortField>): Promise<Page<Todo>> {
    return this.todos.list(filter, page);
  }

  /** A missing user is a 404 rather than an empty list, so a typo in the id is visible. */
  async listForUser(
    userId: number,
    filter: Omit<TodoFilter, 'userId'>,
    page: PageRequest<TodoSortField>,
  ): Promise<Page<Todo>> {
    if (!(await this.users.exists(userId))) throw new NotFoundError('User', userId);
    return this.todos.list({ ...filter, userId }, page);
  }

  async get(id: number): Promise<Todo> {
    return (await this.todos.find(id)) ?? this.notFound(id);
  }

  async create(input: TodoCreate): Promise<Todo> {
    return this.write(input.userId, () => this.todos.create(input));
  }

  async replace(id: number, input: TodoReplace, ifMatch?: Precondition<Todo>): Promise<Todo> {
    assertSameId(input.id, id);
    const data: TodoData = { userId: input.userId, title: input.title, completed: input.completed };
    const updated = await this.write(data.userId, () =>
      this.todos.modify(id, (current) => {
        enforce(ifMatch, current);
        return data;
      }),
    );
    return updated ?? this.notFound(id);
  }

  /** Merge patch: every todo member is required and scalar, so merging is an overlay. */
  async update(id: number, patch: TodoPatch, ifMatch?: Precondition<Todo>): Promise<Todo> {
    assertSameId(patch.id, id);
    const { id: _ignored, ...changes } = patch;
    const updated = await this.write(changes.userId, () =>
      this.todos.modify(id, (current) => {
        enforce(ifMatch, current);
        return {
          userId: changes.userId ?? current.userId,
          title: changes.title ?? current.title,
          completed: changes.completed ?? current.completed,
        };
      }),
    );
    return updated ?? this.notFound(id);
  }

  async remove(id: number, ifMatch?: Precondition<Todo>): Promise<void> {
    if (!(await this.todos.delete(id, (current) => enforce(ifMatch, current)))) this.notFound(id);
  }

  /** Runs a write, turning a foreign-key failure on userId into a 422 naming the field. */
  private async write<T>(userId: number | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof MissingReferenceError && userId !== undefined) throw unknownUser(userId);
      throw error;
    }
  }

  private notFound(id: number): never {
    throw new NotFoundError('Todo', id);
  }
}
