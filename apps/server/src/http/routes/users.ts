import { usersContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { UserService } from '../../services/users.js';
import { listResponse } from '../paging.js';
import { ifMatchOf } from '../preconditions.js';

const s = initServer();

/** REST front door for users: unpack the request, call the service, shape the response. */
export function usersRouter(users: UserService) {
  return s.router(usersContract, {
    list: ({ query, req, res }) => listResponse(req, res, query, (filter, page) => users.list(filter, page)),
    create: async ({ body, res }) => {
      const user = await users.create(body);
      res.location(`/users/${user.id}`);
      return { status: 201, body: user };
    },
    get: async ({ params }) => ({ status: 200, body: await users.get(params.id) }),
    replace: async ({ params, body, req }) => ({
      status: 200,
      body: await users.replace(params.id, body, ifMatchOf(req)),
    }),
    update: async ({ params, body, req }) => ({
      status: 200,
      body: await users.update(params.id, body, ifMatchOf(req)),
    }),
    remove: async ({ params, req }) => {
      await users.remove(params.id, ifMatchOf(req));
      return { status: 200, body: {} };
    },
  });
}
