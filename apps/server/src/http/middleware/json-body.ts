import express, { type RequestHandler } from 'express';

/** JSON, JSON Merge Patch (RFC 7396) and any other `+json` type are read as JSON. */
const JSON_MEDIA_TYPES = ['application/json', 'application/merge-patch+json', 'application/*+json'];

/** Bodies above this size answer 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export class UnsupportedMediaTypeError extends Error {
  readonly status = 415;
}

function hasNonEmptyBody(headers: express.Request['headers']): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/**
 * Rejects a body that is not JSON with 415 instead of ignoring it: a form-encoded POST would
 * otherwise reach validation as "missing every field" and the real mistake would be hidden.
 */
const requireJson: RequestHandler = (req, _res, next) => {
  if (!METHODS_WITH_BODY.has(req.method) || !hasNonEmptyBody(req.headers) || req.is(JSON_MEDIA_TYPES)) {
    next();
    return;
  }
  const sent = req.get('content-type');
  next(
    new UnsupportedMediaTypeError(
      sent
        ? `Content-Type ${sent} is not supported; send JSON with Content-Type: application/json.`
        : 'The body has no Content-Type; send JSON with Content-Type: application/json.',
    ),
  );
};

/** Parses JSON bodies strictly (objects and arrays only), within the size limit. */
export function jsonBody(): RequestHandler[] {
  return [requireJson, express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: JSON_MEDIA_TYPES })];
}
