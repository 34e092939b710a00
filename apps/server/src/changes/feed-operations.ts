import type { Feed, FeedResource } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import type { z } from 'zod';
import type { Principal } from '../auth/api-keys.js';
import { ApiError } from '../core/api-error.js';
import { findEvent } from '../resources/events/store.js';
import type { ChangeFilter } from './change-hub.js';
import { decodeCursor, type FeedCursor } from './cursor.js';

/** A feed request as both front doors hand it over: validated path and query, and the caller. */
export interface FeedInput {
  params: Record<string, unknown> | undefined;
  query: z.output<Feed['query']>;
  /** Present for owner feeds (access control has required it). */
  caller: Principal | undefined;
}

const ownerOf = (caller: Principal | undefined): string => {
  // Access control answers 401 before an owner feed is opened without a key.
  if (!caller) throw new ApiError(401, { detail: 'This feed needs an API key: Authorization: Bearer <key>.' });
  return caller.ownerId;
};

/**
 * The changes a feed request follows, as its list would show them: public feeds every row (a
 * todo feed maybe one user's), owner feeds only the caller's, and a guest feed those of one of
 * the caller's events, which must exist for them (404 otherwise, as for the list).
 */
export async function feedFilter(resource: FeedResource, input: FeedInput, db: DataAccess): Promise<ChangeFilter> {
  switch (resource) {
    case 'todos': {
      const userId = (input.query as { userId?: number }).userId;
      return { resource, ownerId: null, ...(userId !== undefined ? { parentId: userId } : {}) };
    }
    case 'users':
      return { resource, ownerId: null };
    case 'transactions':
    case 'events':
      return { resource, ownerId: ownerOf(input.caller) };
    case 'guests': {
      const ownerId = ownerOf(input.caller);
      const eventId = (input.params as { eventId: number }).eventId;
      await findEvent(db, { ownerId, id: eventId });
      return { resource, ownerId, parentId: eventId };
    }
  }
}

/**
 * Where a resumed feed starts: after the event the client names (the `Last-Event-ID` header or
 * the `lastEventId` query parameter, for clients that cannot set headers; the header wins), or
 * from now. Anything but a cursor this server hands out is a 400.
 */
export function resumePoint(header: string | undefined, query: string | undefined): FeedCursor | undefined {
  const sent = header ?? query;
  if (sent === undefined || sent === '') return undefined;
  const cursor = decodeCursor(sent);
  if (!cursor) {
    throw new ApiError(400, {
      detail: 'Last-Event-ID is not an event id of this feed; leave it out to follow from now.',
      errors: [
        { path: '/lastEventId', message: 'must be the id: of an event this server sent', code: 'invalid_format' },
      ],
    });
  }
  return cursor;
}
