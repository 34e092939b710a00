import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { ApiError } from '../../core/api-error.js';
import { contextOf } from '../request-context.js';

/** JSON, JSON Merge Patch (RFC 7396) and any other `+json` type are read as JSON. */
const JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json', 'application/*+json'];

/** Bodies above this size answer 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** No resource nests deeper than 4; 32 leaves room and stops stack-exhausting documents. */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach for an object's prototype, whatever later code does with the body. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasNonEmptyBody(headers: express.Request['headers']): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/**
 * Rejects a body that is not JSON with 415 instead of ignoring it: a form-encoded POST would
 * otherwise reach validation as "missing every field" and the real mistake would be hidden.
 */
const requireJson: RequestHandler = function requireJson(req, _res, next) {
  if (!METHODS_WITH_BODY.has(req.method) || !hasNonEmptyBody(req.headers) || req.is(JSON_MEDIA_TYPES)) {
    next();
    return;
  }
  const sent = req.get('content-type');
  next(
    new ApiError(415, {
      detail: sent
        ? `Content-Type ${sent} is not supported; send JSON with Content-Type: application/json.`
        : 'The body has no Content-Type; send JSON with Content-Type: application/json.',
    }),
  );
};

/** Finds the first forbidden key or excessive nesting, iteratively (no recursion to exhaust). */
export function findUnsafeShape(root: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) return `The body nests deeper than ${MAX_JSON_DEPTH} levels.`;
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `The body contains the key "${key}", which is not allowed.`;
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return null;
}

const rejectUnsafeShapes: RequestHandler = function rejectUnsafeShapes(req, _res, next) {
  const problem = req.body === undefined ? null : findUnsafeShape(req.body);
  next(problem ? new ApiError(400, { detail: problem }) : undefined);
};

/** SHA-256 of the raw request body of a request with an Idempotency-Key (of nothing when it had none). */
export function bodyHashOf(req: IncomingMessage): string {
  return contextOf(req).bodyHash ?? createHash('sha256').digest('hex');
}

/** Parses JSON bodies strictly (objects and arrays only), within the size and shape limits. */
export function jsonBody(): RequestHandler[] {
  return [
    requireJson,
    express.json({
      limit: BODY_LIMIT_BYTES,
      strict: true,
      type: JSON_MEDIA_TYPES,
      // Hashed only for requests that carry an Idempotency-Key, the one place it is compared.
      verify: (req, _res, buffer) => {
        if (req.headers['idempotency-key'] === undefined) return;
        contextOf(req).bodyHash = createHash('sha256').update(buffer).digest('hex');
      },
    }),
    rejectUnsafeShapes,
  ];
}
