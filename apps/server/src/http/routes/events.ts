import { eventsContract, guestsContract } from '@lockstep/contract';
import { initServer } from '@ts-rest/express';
import type { EventService } from '../../services/events.js';
import type { GuestService } from '../../services/guests.js';
import { listResponse } from '../paging.js';
import { ifMatchOf } from '../preconditions.js';
import { ownerOf } from '../principal.js';

const s = initServer();

/** REST front door for the caller's events. */
export function eventsRouter(events: EventService) {
  return s.router(eventsContract, {
    list: ({ query, req, res }) =>
      listResponse(req, res, query, (filter, page) => events.list(ownerOf(res), filter, page)),
    create: async ({ body, res }) => {
      const created = await events.create(ownerOf(res), body);
      res.location(`/events/${created.id}`);
      return { status: 201, body: created };
    },
    get: async ({ params, res }) => ({ status: 200, body: await events.get(ownerOf(res), params.eventId) }),
    replace: async ({ params, body, req, res }) => ({
      status: 200,
      body: await events.replace(ownerOf(res), params.eventId, body, ifMatchOf(req)),
    }),
    update: async ({ params, body, req, res }) => ({
      status: 200,
      body: await events.update(ownerOf(res), params.eventId, body, ifMatchOf(req)),
    }),
    remove: async ({ params, req, res }) => {
      await events.remove(ownerOf(res), params.eventId, ifMatchOf(req));
      return { status: 200, body: {} };
    },
  });
}

/** REST front door for the guests of the caller's events. */
export function guestsRouter(guests: GuestService) {
  return s.router(guestsContract, {
    list: ({ params, query, req, res }) =>
      listResponse(req, res, query, (filter, page) => guests.list(ownerOf(res), params.eventId, filter, page)),
    create: async ({ params, body, res }) => {
      const created = await guests.create(ownerOf(res), params.eventId, body);
      res.location(`/events/${params.eventId}/guests/${created.id}`);
      return { status: 201, body: created };
    },
    get: async ({ params, res }) => ({
      status: 200,
      body: await guests.get(ownerOf(res), params.eventId, params.guestId),
    }),
    replace: async ({ params, body, req, res }) => ({
      status: 200,
      body: await guests.replace(ownerOf(res), params.eventId, params.guestId, body, ifMatchOf(req)),
    }),
    update: async ({ params, body, req, res }) => ({
      status: 200,
      body: await guests.update(ownerOf(res), params.eventId, params.guestId, body, ifMatchOf(req)),
    }),
    remove: async ({ params, req, res }) => {
      await guests.remove(ownerOf(res), params.eventId, params.guestId, ifMatchOf(req));
      return { status: 200, body: {} };
    },
  });
}
