import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import type { Span } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import type { Credentials } from '../auth/access.js';
import type { Principal } from '../auth/api-keys.js';
import type { IdempotentRequest } from '../idempotency/idempotency-keys.js';
import { traceFields } from '../logger.js';

/** What the HTTP layer learns about a request on its way in, typed, in one place. */
export interface RequestContext {
  /** `X-Request-Id`: the client's, when it sent a usable one, else a new UUID. */
  requestId: string;
  /** What the `Authorization` header proved, once the `authenticate` middleware has run. */
  credentials?: Credentials;
  /** The authenticated caller, once access control has run (absent for anonymous calls). */
  principal?: Principal;
  /** SHA-256 of the raw body, computed only for requests that carry an Idempotency-Key. */
  bodyHash?: string;
  /** A POST with a new Idempotency-Key: run once, its response recorded (`recorded` once it is). */
  idempotency?: { request: IdempotentRequest; recorded: boolean };
  /**
   * The request's server span, when it is traced. Everything under it (its queries, tRPC
   * procedures, log lines) is given it from here, never found in an async context.
   */
  span?: Span;
  /** Where the request's queries run, each a child of `span` (see `requestData`), made once. */
  data?: DataAccess;
}

// Keyed by Node's request object, which Express and tRPC's adapter both hand around.
const contexts = new WeakMap<IncomingMessage, RequestContext>();

/** The context of a request; every request has one from the first middleware on. */
export function contextOf(req: IncomingMessage): RequestContext {
  let context = contexts.get(req);
  if (!context) {
    context = { requestId: randomUUID() };
    contexts.set(req, context);
  }
  return context;
}

/** What a line logged for a request names: its id, and its trace and span when it is traced. */
export function requestFields(req: IncomingMessage): { requestId: string; trace_id?: string; span_id?: string } {
  const { requestId, span } = contextOf(req);
  return { requestId, ...traceFields(span) };
}

/** Client ids are echoed only when they are short and plain, so they are safe in logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Starts every request's context and tags every response, errors included, with `X-Request-Id`
 * and `X-Contract-Version`, so any response can be traced and matched to a contract.
 */
export function requestContext(): RequestHandler {
  return function requestContext(req, res, next) {
    const sent = req.get('x-request-id');
    const requestId = sent && ACCEPTABLE_REQUEST_ID.test(sent) ? sent : randomUUID();
    contexts.set(req, { requestId });
    res.setHeader('X-Request-Id', requestId);
    res.setHeader(CONTRACT_VERSION_HEADER, CONTRACT_VERSION);
    next();
  };
}

/**
 * The client's address: the peer's, or, behind proxies named by `TRUST_PROXY`, the one they
 * report in `X-Forwarded-For` (Express's `req.ip`). Anonymous quotas and anonymous idempotency
 * keys are per address.
 */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
