import {
  type AnyTRPCRouter,
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type inferRouterContext,
  TRPCError,
  type TRPCProcedureType,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode, type HTTPErrorHandler } from '@trpc/server/http';
import type { Request as ExpressRequest } from 'express';

/** One call of a request: a procedure's path and its input, deserialised. */
interface PlainCall {
  path: string;
  input: unknown;
}

/** The calls of a request in tRPC's plain JSON protocol, and the type every one of them has. */
export interface PlainCalls {
  type: Extract<TRPCProcedureType, 'query' | 'mutation'>;
  batch: boolean;
  calls: PlainCall[];
}

/** What answering them needs: the router, the context made for this request, the error hook. */
export interface PlainCallOptions<Router extends AnyTRPCRouter> {
  router: Router;
  req: ExpressRequest;
  ctx: inferRouterContext<Router>;
  onError: HTTPErrorHandler<Router, ExpressRequest>;
}

/** An answer ready to write: tRPC's status, headers and JSON text. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An input that does not parse is left to `resolveResponse`, which words that error. */
function parsedJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The calls of a request that tRPC's plain JSON protocol covers: a query by GET or a mutation by
 * POST with a JSON body, alone or batched (`?batch=1`), to procedures that exist and have that
 * type, with inputs that parse. Anything else (HEAD, another body type, a stream asked for with
 * `trpc-accept` or `Accept: application/jsonl`, connection parameters, subscriptions, unknown
 * or escaped paths, a mix of types, unparseable input) is `undefined`, and `resolveResponse`
 * answers it, errors included, exactly as tRPC words them.
 */
export function plainCalls(router: AnyTRPCRouter, req: ExpressRequest, path: string): PlainCalls | undefined {
  const type = req.method === 'GET' ? 'query' : req.method === 'POST' ? 'mutation' : undefined;
  // An escaped path is tRPC's to decode.
  if (type === undefined || path.includes('%')) return undefined;
  if (req.headers['trpc-accept'] !== undefined || req.headers.accept?.includes('application/jsonl')) return undefined;
  const query = req.query as Record<string, unknown>;
  // A parameter given twice is a list here but its first value to tRPC: left to tRPC.
  const givenTwice = (name: string) => query[name] !== undefined && typeof query[name] !== 'string';
  if (query.connectionParams !== undefined || givenTwice('batch') || givenTwice('input')) return undefined;
  const batch = query.batch === '1';
  const paths = batch ? path.split(',') : [path];
  const procedures = router._def.procedures as Record<string, { _def?: { type?: unknown } } | undefined>;
  if (!paths.every((each) => Object.hasOwn(procedures, each) && procedures[each]?._def?.type === type)) {
    return undefined;
  }

  let inputs: unknown;
  if (type === 'query') {
    if (query.input) {
      const parsed = parsedJson(query.input as string);
      if (!parsed) return undefined;
      inputs = parsed.value;
    }
  } else {
    // tRPC reads a mutation's body as JSON only when it is labelled so (RFC 9110: any case).
    const mediaType = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') return undefined;
    inputs = req.body;
  }
  if (batch && inputs !== undefined && !isObject(inputs)) return undefined;

  const deserialize = (input: unknown) =>
    input === undefined ? undefined : router._def._config.transformer.input.deserialize(input);
  return {
    type,
    batch,
    calls: paths.map((each, index) => ({
      path: each,
      input: deserialize(batch ? (inputs as Record<string, unknown> | undefined)?.[index] : inputs),
    })),
  };
}

const isAsyncIterable = (value: unknown) => isObject(value) && Symbol.asyncIterator in value;
const isPromiseLike = (value: unknown) =>
  typeof (value as { then?: unknown } | null)?.then === 'function' &&
  typeof (value as { catch?: unknown }).catch === 'function';

/** Stream-like data (async iterable, or promises or iterables inside), which needs a streamed answer. */
function isDataStream(data: unknown): boolean {
  if (!isObject(data)) return false;
  if (isAsyncIterable(data)) return true;
  return Object.values(data).some((value) => isPromiseLike(value) || isAsyncIterable(value));
}

/**
 * Runs the calls through tRPC's procedures (middleware, input parsers, the error formatter) and
 * answers as `resolveResponse` would — the same status, `Vary`, error shapes and `onError` calls
 * — without the Fetch `Request`, `Response`, body round trip and abort signals it makes for every
 * call, which cost about as much again as the procedure itself.
 */
export async function answerPlainCalls<Router extends AnyTRPCRouter>(
  { type, batch, calls }: PlainCalls,
  { router, req, ctx, onError }: PlainCallOptions<Router>,
): Promise<PlainAnswer> {
  const config = router._def._config;
  const errorResponse = (error: TRPCError, path: string | undefined, input: unknown) => ({
    error,
    response: { error: getTRPCErrorShape({ config, error, type, path, input, ctx }) },
  });
  const outcomes: Array<{ error?: TRPCError; response: object }> = await Promise.all(
    calls.map(async ({ path, input }, batchIndex) => {
      try {
        const data = await callTRPCProcedure({
          router,
          path,
          type,
          ctx,
          batchIndex,
          getRawInput: async () => input,
          signal: undefined,
        });
        if (!isDataStream(data)) return { response: { result: { data } } };
        // As tRPC does: a lone call's stream-like data fails the whole request, reported without
        // a path; in a batch it fails that call, unreported.
        const error = new TRPCError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
        });
        if (batch) return errorResponse(error, path, input);
        onError({ error, type, path: undefined, input: undefined, ctx, req });
        return errorResponse(error, undefined, undefined);
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        onError({ error, type, path, input, ctx, req });
        return errorResponse(error, path, input);
      }
    }),
  );
  const responses = outcomes.map((outcome) => outcome.response);
  const untransformed = (batch ? responses : responses[0]) as Parameters<typeof getHTTPStatusCode>[0];
  return {
    status: getHTTPStatusCode(
      untransformed,
      outcomes.map((outcome) => outcome.error),
    ),
    headers: { vary: 'trpc-accept, accept', 'content-type': 'application/json' },
    body: JSON.stringify(transformTRPCResponse(config, untransformed)),
  };
}
