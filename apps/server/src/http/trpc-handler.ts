import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { AnyTRPCRouter, inferRouterContext } from '@trpc/server';
import { type HTTPErrorHandler, resolveResponse } from '@trpc/server/http';
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from 'express';
import { answerPlainCalls, plainCalls } from './trpc-plain-calls.js';

/** What a procedure's context is made from: the Express request and response it answers. */
export interface TrpcExchange {
  req: ExpressRequest;
  res: ExpressResponse;
}

export interface TrpcHandlerOptions<Router extends AnyTRPCRouter> {
  router: Router;
  createContext(exchange: TrpcExchange): inferRouterContext<Router>;
  onError: HTTPErrorHandler<Router, ExpressRequest>;
}

/** Node's request headers as a Fetch `Headers` init: repeated fields joined, as HTTP allows. */
function fetchHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * tRPC on Express. Plain JSON calls (a query by GET, a mutation by POST, alone or batched:
 * what `httpLink` and `httpBatchLink` send) are answered from tRPC's exported parts by
 * `answerPlainCalls`, the same answer `resolveResponse` gives without its Fetch objects.
 * Everything else goes through `resolveResponse`, the function tRPC's own adapters are built on,
 * without two costs of its Node adapter that this server need not pay:
 *
 * - Bodies have been parsed already (`jsonBody`), so the Fetch `Request` gets the parsed body
 *   back as text rather than a stream over the socket, and no abort signal: the procedures
 *   here are queries and mutations, which run to the end whether or not the client waits.
 * - A JSON answer is written with one `end()` rather than piped through a web
 *   `WritableStream`. Streamed answers (`httpBatchStreamLink`'s JSON lines) are still piped,
 *   and cancelled when the client goes away.
 */
export function trpcHandler<Router extends AnyTRPCRouter>(options: TrpcHandlerOptions<Router>): RequestHandler {
  return async function trpc(req, res, next) {
    try {
      // The procedure's path: what follows the mount point, as tRPC's Express adapter reads it.
      const path = req.path.slice(req.path.lastIndexOf('/') + 1);
      const calls = plainCalls(options.router, req, path);
      if (calls) {
        const answer = await answerPlainCalls(calls, {
          router: options.router,
          req,
          ctx: options.createContext({ req, res }),
          onError: options.onError,
        });
        res.statusCode = answer.status;
        for (const name in answer.headers) res.setHeader(name, answer.headers[name] as string);
        res.end(answer.body);
        return;
      }
      // tRPC reads the path and the query; the Host header, which a client may fill with anything,
      // has no say in the URL (a host that is no host made tRPC's adapter answer 400).
      const request = new Request(new URL(req.originalUrl, 'http://localhost'), {
        method: req.method,
        headers: fetchHeaders(req.headers),
        ...(req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined
          ? { body: JSON.stringify(req.body) }
          : {}),
      });
      const response = await resolveResponse({
        router: options.router,
        req: request,
        path,
        error: null,
        createContext: async () => options.createContext({ req, res }),
        onError: (error) => options.onError({ ...error, req }),
      });
      // Every answer but a stream is one JSON document, tRPC's own request errors included, which
      // it labels text/plain. Streams say so: JSON lines (labelled JSON too) are sent chunked,
      // server-sent events as text/event-stream.
      const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim();
      const whole =
        response.headers.get('transfer-encoding') !== 'chunked' &&
        (mediaType === 'application/json' || mediaType === 'text/plain');
      res.statusCode = response.status;
      for (const [name, value] of response.headers) {
        res.setHeader(name, name === 'content-type' && whole ? 'application/json' : value);
      }
      if (!response.body) {
        res.end();
      } else if (whole) {
        res.end(await response.text());
      } else {
        // A client that goes away ends the pipeline, which cancels the stream: tRPC stops there.
        await pipeline(Readable.fromWeb(response.body as NodeReadableStream), res);
      }
    } catch (error) {
      if (res.headersSent) res.destroy();
      else next(error);
    }
  };
}
