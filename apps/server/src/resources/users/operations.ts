import { UserCreateSchema, type usersContract } from '@lockstep/contract';
import type { Database } from '@lockstep/db';
import { withoutId } from '../../core/field-errors.js';
import { patchResource } from '../../core/merge-patch.js';
import type { Operations } from '../../core/operation.js';
import { created, deleted, ok } from '../../core/outcomes.js';
import { listPage } from '../../core/paging.js';
import { readCheckWrite } from '../../core/read-check-write.js';
import { deleteUser, findUser, insertUser, listUsers, updateUser, writableUser } from './store.js';

/**
 * Users: JSONPlaceholder's shape, public. A PATCH merges nested objects (address, company)
 * member by member and `null` removes a member (RFC 7396).
 */
export function userOperations(db: Database): Operations<typeof usersContract> {
  return {
    list: ({ query }) => listPage(query, (filter, page) => listUsers(db, filter, page)),
    create: async ({ body }) => created('/users', await insertUser(db, body)),
    get: async ({ params }) => ok(await findUser(db, params.id)),
    replace: async ({ params, body, ifMatch }) => {
      const data = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findUser(tx, params.id),
          (tx) => updateUser(tx, params.id, data),
        ),
      );
    },
    update: async ({ params, body, ifMatch }) => {
      const patch = withoutId(body, params.id);
      return ok(
        await readCheckWrite(
          db,
          ifMatch,
          (tx) => findUser(tx, params.id),
          (tx, current) => updateUser(tx, params.id, patchResource(UserCreateSchema, writableUser(current), patch)),
        ),
      );
    },
    /** Deleting a user also deletes the user's todos. */
    remove: async ({ params, ifMatch }) => {
      await readCheckWrite(
        db,
        ifMatch,
        (tx) => findUser(tx, params.id),
        (tx) => deleteUser(tx, params.id),
      );
      return deleted();
    },
  };
}
