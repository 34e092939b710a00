import type { Feed, TrpcChange } from '@lockstep/contract';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import type { CheckAccess } from '../auth/access.js';
import type { ChangeHub, FeedFrame } from '../changes/change-hub.js';
import { feedFilter, resumePoint } from '../changes/feed-operations.js';
import { ApiError } from '../core/api-error.js';
import { invalidInput } from '../core/field-errors.js';
import type { RequestData } from '../telemetry/query-spans.js';
import type { FeedStreams } from './feed-streams.js';
import { clientAddress, contextOf } from './request-context.js';
import type { TrpcContext } from './trpc-idempotency.js';

export interface TrpcFeedOptions {
  hub: ChangeHub;
  streams: FeedStreams;
  /** Where a call's queries run (a subscription's filter is checked on it). */
  dataOf: RequestData;
  checkAccess: CheckAccess;
}

/** Changes a subscription may have waiting for tRPC to write; past this its consumer counts as stalled. */
const MAX_WAITING = 10_000;

type Waiting = FeedFrame | { reset: string };

/** What a frame's `data` holds (`FeedFrame`): the change, serialised once for every subscriber. */
interface ChangeData {
  id: number;
  item: unknown;
  etag: string | null;
}

/** The input of a feed subscription: `{ params, query, lastEventId }`, checked with the feed's own schemas. */
function parseFeedInput(feed: Feed, raw: unknown) {
  const input = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const unknownKeys = Object.keys(input).filter((key) => !['params', 'query', 'lastEventId'].includes(key));
  if (unknownKeys.length > 0) {
    throw new ApiError(400, { detail: `Unexpected input ${unknownKeys.join(', ')} for this subscription.` });
  }
  const params = feed.pathParams?.safeParse(input.params ?? {});
  if (params && !params.success) throw invalidInput('params', params.error.issues);
  const query = feed.query.safeParse(input.query ?? {});
  if (!query.success) throw invalidInput('query', query.error.issues);
  const lastEventId = typeof input.lastEventId === 'string' ? input.lastEventId : undefined;
  return { params: params?.data as Record<string, unknown> | undefined, query: query.data, lastEventId };
}

/**
 * The tRPC face of one feed: a subscription (tRPC's SSE) that checks what the REST feed checks
 * (access, input, the event existing, the stream limits), then yields each change with its cursor
 * as the event's id (`tracked`), which `httpSubscriptionLink` sends back as `lastEventId` when it
 * reconnects: the hub resumes after it as for REST's Last-Event-ID.
 */
export function feedSubscription(feed: Feed, options: TrpcFeedOptions) {
  return async function* changes({
    input,
    ctx,
    signal,
  }: {
    input: unknown;
    ctx: TrpcContext;
    signal: AbortSignal | undefined;
  }): AsyncGenerator<TrackedEnvelope<TrpcChange<unknown>>, void, unknown> {
    const caller = options.checkAccess({
      access: feed.access,
      method: 'GET',
      credentials: contextOf(ctx.req).credentials,
    });
    const { params, query, lastEventId } = parseFeedInput(feed, input);
    const resume = resumePoint(undefined, lastEventId);
    const filter = await feedFilter(feed.resource, { params, query, caller }, options.dataOf(ctx.req));

    const ended = new AbortController();
    const end = () => ended.abort();
    signal?.addEventListener('abort', end, { once: true });
    options.streams.open(ctx.res, caller?.ownerId, clientAddress(ctx.req), end);
    const waiting: Waiting[] = [];
    let wake: (() => void) | undefined;
    const push = (item: Waiting) => {
      if (waiting.length >= MAX_WAITING) return end();
      waiting.push(item);
      wake?.();
    };
    ended.signal.addEventListener('abort', () => wake?.(), { once: true });
    const stop = await options.hub.follow(filter, resume, {
      deliver: push,
      reset: (cursor) => push({ reset: cursor }),
      overflow: end,
    });
    try {
      while (!ended.signal.aborted) {
        const next = waiting.shift();
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if ('reset' in next) yield tracked(next.reset, { kind: 'reset' });
        else
          yield tracked(next.cursor, {
            kind: next.kind,
            ...(JSON.parse(next.data) as ChangeData),
          });
      }
    } finally {
      stop();
      signal?.removeEventListener('abort', end);
    }
  };
}
