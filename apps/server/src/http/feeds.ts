import { type Feed, feedList, RESET_EVENT, usageRoute } from '@lockstep/contract';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { CheckAccess } from '../auth/access.js';
import type { ChangeHub, ChangeSink } from '../changes/change-hub.js';
import { feedFilter, resumePoint } from '../changes/feed-operations.js';
import { type InputPart, invalidInput } from '../core/field-errors.js';
import type { RequestData } from '../telemetry/query-spans.js';
import { type FeedStreams, RECONNECT_MS } from './feed-streams.js';
import { clientAddress, contextOf } from './request-context.js';
import type { CountUse } from './usage.js';

export interface FeedRouteOptions {
  hub: ChangeHub;
  streams: FeedStreams;
  /** Where a request's queries run (the feed's filter is checked on it). */
  dataOf: RequestData;
  checkAccess: CheckAccess;
  /** Counts each stream opened in the usage ledger, when it is on. */
  countUse: CountUse | undefined;
}

function parsed<Schema extends z.ZodType>(schema: Schema, value: unknown, part: InputPart): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(part, result.error.issues);
  return result.data;
}

/**
 * The REST face of one feed: `200 text/event-stream` (WHATWG HTML §9.2), opened once the request
 * has passed what its list would check (access, path, query, the event existing), then every
 * change as an event: `id:` the cursor, `event:` the kind, `data:` the item and its ETag.
 */
function feedHandler(feed: Feed, { hub, streams, dataOf, checkAccess, countUse }: FeedRouteOptions) {
  const route = usageRoute('GET', feed.path);
  return async function changeFeed(req: Request, res: Response, next: (error?: unknown) => void) {
    countUse?.(req, route);
    try {
      const context = contextOf(req);
      const caller = checkAccess({ access: feed.access, method: 'GET', credentials: context.credentials });
      const params = feed.pathParams ? parsed(feed.pathParams, req.params, 'params') : undefined;
      const query = parsed(feed.query, req.query, 'query');
      const resume = resumePoint(req.get('last-event-id'), (query as { lastEventId?: string }).lastEventId);
      const filter = await feedFilter(feed.resource, { params, query, caller }, dataOf(req));
      const stream = streams.open(res, caller?.ownerId, clientAddress(req));
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        // Owned feeds are the caller's alone; no feed may be cached or buffered on the way.
        'Cache-Control': feed.access === 'owner' ? 'private, no-cache' : 'no-cache',
        ...(feed.access === 'owner' ? { Vary: 'Authorization' } : {}),
        'X-Accel-Buffering': 'no',
      });
      streams.write(stream, `retry: ${RECONNECT_MS}\n\n`);
      const sink: ChangeSink = {
        deliver: (frame) => streams.write(stream, `id: ${frame.cursor}\nevent: ${frame.kind}\ndata: ${frame.data}\n\n`),
        reset: (cursor) => streams.write(stream, `id: ${cursor}\nevent: ${RESET_EVENT}\ndata: {}\n\n`),
        overflow: () => res.destroy(),
      };
      let stop: (() => void) | undefined;
      let closed = false;
      res.once('close', () => {
        closed = true;
        stop?.();
      });
      stop = await hub.follow(filter, resume, sink);
      if (closed) stop();
    } catch (error) {
      // Before the stream starts, a problem+json answer; after, the stream can only end.
      if (res.headersSent) res.destroy();
      else next(error);
    }
  };
}

/** Every feed of the contract, mounted before the REST routes (`/todos/changes` is not `/todos/:id`). */
export function mountFeedRoutes(app: Router, options: FeedRouteOptions): void {
  for (const feed of feedList()) app.get(feed.path, feedHandler(feed, options));
}
