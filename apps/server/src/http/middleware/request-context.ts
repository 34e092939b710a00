import { randomUUID } from 'node:crypto';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER } from '@lockstep/contract';
import type { RequestHandler } from 'express';

/** Client ids are echoed only when they are short and plain, so they are safe in logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Tags every response, errors included, with `X-Request-Id` (the client's when it sent a usable
 * one) and `X-Contract-Version`, so any response can be traced and matched to a contract.
 */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const sent = req.get('x-request-id');
    const requestId = sent && ACCEPTABLE_REQUEST_ID.test(sent) ? sent : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader(CONTRACT_VERSION_HEADER, CONTRACT_VERSION);
    next();
  };
}
