import { usersContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { UserService } from '../../services/users.js';

const s = initServer();

/** REST front door for users: unpack the request, call the service, shape the response. */
export function usersRouter(users: UserService) {
  return s.router(usersContract, {
    list: async ({ query }) => ({ status: 200, body: await users.list(query.limit) }),
    create: async ({ body, res }) => {
      const user = await users.create(body);
      res.location(`/users/${user.id}`);
      return { status: 201, body: user };
    },
    get: async ({ params }) => ({ status: 200, body: await users.get(params.id) }),
    replace: async ({ params, body }) => ({ status: 200, body: await users.replace(params.id, body) }),
    update: async ({ params, body }) => ({ status: 200, body: await users.update(params.id, body) }),
    remove: async ({ params }) => {
      await users.remove(params.id);
      return { status: 200, body: {} };
    },
  });
}
