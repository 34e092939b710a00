import { type User, type UserCreate, UserCreateSchema, type UserPatch, type UserReplace } from '@lockstep/contract';
import type { Page, PageRequest } from '../repositories/keyset.js';
import type { UserData, UserRepository, UserSortField } from '../repositories/users.js';
import { InvalidInputError, NotFoundError } from './errors.js';
import { applyMergePatch } from './merge-patch.js';
import { enforce, type Precondition } from './preconditions.js';
import { assertSameId, toFieldErrors } from './validation.js';

/** The rules for users. Input arrives already shaped by the contract's schemas. */
export class UserService {
  constructor(private readonly users: UserRepository) {}

  list(filter: { username?: string; email?: string }, page: PageRequest<UserSortField>): Promise<Page<User>> {
    return this.users.list(filter, page);
  }

  async get(id: number): Promise<User> {
    return (await this.users.find(id)) ?? this.notFound(id);
  }

  create(input: UserCreate): Promise<User> {
    return this.users.create(input);
  }

  async replace(id: number, input: UserReplace, ifMatch?: Precondition<User>): Promise<User> {
    assertSameId(input.id, id);
    const { id: _ignored, ...data } = input;
    const updated = await this.users.modify(id, (current) => {
      enforce(ifMatch, current);
      return data;
    });
    return updated ?? this.notFound(id);
  }

  /**
   * RFC 7396 merge patch: nested objects (address, company) merge member by member and `null`
   * removes a member. The merged document must still be a valid user (the patch could remove
   * `name`, for instance), so it is checked against the contract's schema before it is stored.
   */
  async update(id: number, patch: UserPatch, ifMatch?: Precondition<User>): Promise<User> {
    assertSameId(patch.id ?? undefined, id);
    const updated = await this.users.modify(id, (current) => {
      enforce(ifMatch, current);
      const { id: _currentId, ...currentData } = current;
      const { id: _patchId, ...changes } = patch;
      const merged = UserCreateSchema.safeParse(applyMergePatch(currentData, changes));
      if (!merged.success) {
        throw new InvalidInputError('The patched user would be invalid.', toFieldErrors(merged.error.issues));
      }
      return merged.data satisfies UserData;
    });
    return updated ?? this.notFound(id);
  }

  /** Deleting a user also deletes the user's todos. */
  async remove(id: number, ifMatch?: Precondition<User>): Promise<void> {
    if (!(await this.users.delete(id, (current) => enforce(ifMatch, current)))) this.notFound(id);
  }

  private notFound(id: number): never {
    throw new NotFoundError('User', id);
  }
}
