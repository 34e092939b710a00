import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEADER, PROBLEM_CONTENT_TYPE } from '@lockstep/contract';
import type { Logger } from 'pino';
import { problem } from './problem-response.js';

/** What Node's HTTP parser (llhttp) reports, as the status and words a client can act on. */
function refusal(code: string | undefined): { status: number; detail: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, detail: 'The request headers are larger than the server accepts (16 KiB).' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, detail: 'The request was not received in time.' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, detail: 'The request method is not a valid HTTP method.' };
    default:
      return { status: 400, detail: 'The request is not valid HTTP (its request line, headers or framing).' };
  }
}

/**
 * Answers requests that Node's parser refuses before Express sees them (bad bytes in the target
 * or headers, unknown methods, headers over 16 KiB, smuggling shapes) with the same problem
 * details as every other error, `X-Request-Id` included, instead of Node's empty 400. There is
 * no request object yet, so the response is written to the socket, which is then closed: the
 * rest of the stream cannot be trusted. Logged as one short line, never with a stack.
 */
export function answerClientError(logger: Logger) {
  return function answerClientError(error: Error & { code?: string }, socket: Socket): void {
    // A reset peer cannot be answered; a socket that already carries a response (the parser
    // failed on what followed it) must not get a second one.
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const { status, detail } = refusal(error.code);
    const requestId = randomUUID();
    const body = JSON.stringify(problem(status, detail));
    socket.end(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-Id: ${requestId}`,
        `${CONTRACT_VERSION_HEADER}: ${CONTRACT_VERSION}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    logger.info({ requestId, status, code: error.code }, 'refused a malformed request');
  };
}
