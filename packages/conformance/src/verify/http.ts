/**
 * One HTTP exchange with the deployment, sent exactly as described. node:http(s) rather than
 * fetch: fetch adds `Cache-Control: no-cache` to conditional requests and refuses some
 * methods, and a conformance check must send what it says it sends (and print it as curl).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OutgoingRequest {
  method: string;
  /** Path and query, e.g. `/todos?limit=1`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Exchange {
  request: OutgoingRequest;
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; `undefined` when there is none or it is not JSON. */
  json: unknown;
}

/** Why a request got no answer (refused, reset, timed out), as a person would say it. */
export class NoAnswerError extends Error {}

export function send(baseUrl: URL, outgoing: OutgoingRequest, timeoutMs: number): Promise<Exchange> {
  const url = new URL(outgoing.path, baseUrl);
  // A base URL with a path prefix (`https://host/api`) keeps it.
  if (baseUrl.pathname !== '/') url.pathname = `${baseUrl.pathname.replace(/\/$/, '')}${outgoing.path.split('?')[0]}`;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...outgoing.headers };
  if (outgoing.body !== undefined) headers['content-length'] = String(Buffer.byteLength(outgoing.body));
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: outgoing.method, headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(new NoAnswerError(error.message)));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({
          request: outgoing,
          url: url.href,
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          json,
        });
      });
    });
    sent.on('timeout', () => sent.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    sent.on('error', (error: NodeJS.ErrnoException) =>
      reject(new NoAnswerError(`${outgoing.method} ${url.href}: ${error.code ?? error.message}`)),
    );
    sent.end(outgoing.body);
  });
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A curl command that repeats the request. Keys are never printed: `secrets` maps each key to
 * the environment variable the reader should hold it in, so a CI log does not leak them.
 */
export function curlOf(exchange: Exchange, secrets: ReadonlyMap<string, string>): string {
  const parts = ['curl -sS -i', '-X', exchange.request.method, shellQuote(exchange.url)];
  for (const [name, value] of Object.entries(exchange.request.headers)) {
    let shown = value;
    for (const [secret, variable] of secrets) shown = shown.split(secret).join(`$${variable}`);
    // Double quotes where a variable must expand, single quotes elsewhere.
    parts.push('-H', shown === value ? shellQuote(`${name}: ${value}`) : `"${name}: ${shown}"`);
  }
  if (exchange.request.body !== undefined) parts.push('--data-raw', shellQuote(exchange.request.body));
  return parts.join(' ');
}
