import { CONTRACT_VERSION_HEADERS } from './contract-notices.js';
import { AbortError, NetworkError, TimeoutError, TooManyRedirectsError } from './errors.js';
import { type TraceContextMode, traceHeaders } from './trace-context.js';

export interface RetryOptions {
  /** Retries after the first attempt; 0 turns retrying off. Default 2. */
  retries: number;
  /** First backoff ceiling; doubles each attempt ("full jitter": a random delay below it). Default 200 ms. */
  baseDelayMs: number;
  /** Largest backoff ceiling. Default 5 s. */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this. Default 30 s. */
  maxRetryAfterMs: number;
  /** Statuses worth another attempt. Default 408, 429, 500, 502, 503, 504. */
  statuses: number[];
}

export interface Timeouts {
  /** Until the response starts (connection made and headers received). Default 10 s. */
  connect: number;
  /** For the whole exchange, body included. Default 30 s. */
  request: number;
}

/** What a hook sees of a request; `headers` may be changed (say, to refresh a token). */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string | undefined;
  /** 0 for the first attempt. */
  attempt: number;
}

export interface IncomingResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, the text otherwise, undefined when empty. */
  body: unknown;
  url: string;
}

export interface Hooks {
  beforeRequest?: (request: OutgoingRequest) => void | Promise<void>;
  afterResponse?: (response: IncomingResponse, request: OutgoingRequest) => void | Promise<void>;
}

export interface TransportOptions {
  baseUrl: string;
  /** API key, or a function returning one (called before every attempt). */
  token?: string | (() => string | Promise<string>);
  /** Milliseconds for both phases, or each phase on its own. */
  timeout?: number | Partial<Timeouts>;
  /** `false` turns retries off. */
  retry?: false | Partial<RetryOptions>;
  /** Redirects followed before TooManyRedirectsError; 0 returns the 3xx response. Default 5. */
  maxRedirects?: number;
  hooks?: Hooks;
  /** Another fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /** Source of randomness for jitter (tests make it deterministic). */
  random?: () => number;
  /** The W3C Trace Context each call carries (see `TraceContextMode`); `'propagate'` by default. */
  traceContext?: TraceContextMode;
}

export interface SendRequest {
  method: string;
  url: string;
  headers?: HeadersInit;
  body?: string;
  signal?: AbortSignal;
}

const DEFAULT_RETRY: RetryOptions = {
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  statuses: [408, 429, 500, 502, 503, 504],
};
const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, request: 30_000 };
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The API key to send now: the token itself, or what its function returns. */
export async function resolveToken(token: TransportOptions['token']): Promise<string | undefined> {
  return typeof token === 'function' ? await token() : token;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(signal.reason));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The system error code undici (Node's fetch) puts on the cause, when there is one. */
function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (/[/+]json\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The HTTP layer under the typed client: timeouts by phase, retries with exponential backoff
 * and full jitter (honouring Retry-After), manual redirects with a limit, hooks, and errors
 * sorted into the classes in errors.ts. Only idempotent requests are retried; a POST becomes
 * idempotent by carrying an Idempotency-Key, which is added when retries are on.
 */
export function createTransport(options: TransportOptions) {
  const retry: RetryOptions =
    options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const timeouts: Timeouts =
    typeof options.timeout === 'number'
      ? { connect: options.timeout, request: options.timeout }
      : { ...DEFAULT_TIMEOUTS, ...options.timeout };
  const maxRedirects = options.maxRedirects ?? 5;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const random = options.random ?? Math.random;

  /** One exchange, with both timers and the caller's signal wired into one AbortController. */
  async function exchange(request: OutgoingRequest, signal: AbortSignal | undefined): Promise<IncomingResponse> {
    if (signal?.aborted) throw new AbortError(signal.reason);
    const controller = new AbortController();
    let expired: 'connect' | 'request' | undefined;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const connectTimer = setTimeout(() => {
      expired = 'connect';
      controller.abort();
    }, timeouts.connect);
    const requestTimer = setTimeout(() => {
      expired ??= 'request';
      controller.abort();
    }, timeouts.request);
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      clearTimeout(connectTimer);
      const body = await readBody(response);
      return { status: response.status, headers: response.headers, body, url: request.url };
    } catch (error) {
      if (signal?.aborted) throw new AbortError(signal.reason);
      if (expired) throw new TimeoutError(expired, timeouts[expired]);
      const code = systemCode(error);
      throw new NetworkError(`${request.method} ${request.url} failed${code ? ` (${code})` : ''}`, code, {
        cause: error,
      });
    } finally {
      clearTimeout(connectTimer);
      clearTimeout(requestTimer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** An exchange plus the redirects after it. */
  async function attemptOnce(first: OutgoingRequest, signal: AbortSignal | undefined): Promise<IncomingResponse> {
    let request = first;
    const chain = [request.url];
    for (;;) {
      await options.hooks?.beforeRequest?.(request);
      const response = await exchange(request, signal);
      await options.hooks?.afterResponse?.(response, request);
      const location = response.headers.get('location');
      if (maxRedirects === 0 || !REDIRECT_STATUSES.has(response.status) || !location) return response;
      if (chain.length > maxRedirects) throw new TooManyRedirectsError(maxRedirects, [...chain, location]);
      const next = new URL(location, request.url);
      const headers = new Headers(request.headers);
      // Credentials stay with the origin they were meant for.
      if (next.origin !== new URL(request.url).origin) headers.delete('authorization');
      const becomesGet =
        response.status === 303 || ((response.status === 301 || response.status === 302) && request.method === 'POST');
      if (becomesGet) {
        headers.delete('content-type');
        headers.delete('idempotency-key');
      }
      request = {
        ...request,
        url: next.toString(),
        headers,
        method: becomesGet ? 'GET' : request.method,
        body: becomesGet ? undefined : request.body,
      };
      chain.push(request.url);
    }
  }

  function delayBefore(attempt: number, response: IncomingResponse | undefined): number {
    const retryAfter = parseRetryAfter(response?.headers.get('retry-after') ?? null);
    if (retryAfter !== undefined) return Math.min(retryAfter, retry.maxRetryAfterMs);
    return random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  }

  async function send(input: SendRequest): Promise<IncomingResponse> {
    const method = input.method.toUpperCase();
    const headers = new Headers(input.headers);
    if (method === 'POST' && retry.retries > 0 && !headers.has('idempotency-key')) {
      headers.set('idempotency-key', globalThis.crypto.randomUUID());
    }
    const retryable = IDEMPOTENT_METHODS.has(method) || (method === 'POST' && headers.has('idempotency-key'));
    // One call, one trace context: its retries and redirects are attempts of the same operation.
    // The contract version names this client in the server's usage ledger.
    for (const [name, value] of Object.entries({
      ...CONTRACT_VERSION_HEADERS,
      ...traceHeaders(options.traceContext),
    })) {
      if (!headers.has(name)) headers.set(name, value);
    }
    for (let attempt = 0; ; attempt += 1) {
      const attemptHeaders = new Headers(headers);
      const token = await resolveToken(options.token);
      if (token && !attemptHeaders.has('authorization')) attemptHeaders.set('authorization', `Bearer ${token}`);
      const request: OutgoingRequest = { method, url: input.url, headers: attemptHeaders, body: input.body, attempt };
      const canRetry = retryable && attempt < retry.retries;
      let response: IncomingResponse;
      try {
        response = await attemptOnce(request, input.signal);
      } catch (error) {
        if (!canRetry || !(error instanceof NetworkError || error instanceof TimeoutError)) throw error;
        await sleep(delayBefore(attempt, undefined), input.signal);
        continue;
      }
      if (!canRetry || !retry.statuses.includes(response.status)) return response;
      await sleep(delayBefore(attempt, response), input.signal);
    }
  }

  return { send, baseUrl: options.baseUrl.replace(/\/+$/, '') };
}

export type Transport = ReturnType<typeof createTransport>;
