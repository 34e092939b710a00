/**
 * One verify run's connection to the deployment: it sends requests as one of the given keys,
 * holds every response to the contract, records checks, and remembers what it created so the
 * run can delete it again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  type ContractRoute,
  conformanceConsumer,
  contract,
  contractRoutes,
  deprecationOf,
  PROBLEM_CONTENT_TYPE,
  ProblemSchema,
  readDeprecation,
} from '@lockstep/contract';
import { z } from 'zod';
import { curlOf, type Exchange, NoAnswerError, type OutgoingRequest, send } from './http.js';
import type { CheckResult } from './report.js';

export type Caller = 'key' | 'otherKey' | 'readKey' | 'anonymous';

export interface Keys {
  key: string;
  otherKey?: string | undefined;
  readKey?: string | undefined;
}

export interface RequestSpec {
  method: string;
  path: string;
  as?: Caller;
  headers?: Record<string, string>;
  /** A JSON value, sent as `application/json`; or `raw` text with its own content type. */
  json?: unknown;
  raw?: { text: string; contentType: string };
}

/** Variables the curl lines name instead of printing a key. */
const KEY_VARIABLES: Record<Exclude<Caller, 'anonymous'>, string> = {
  key: 'LOCKSTEP_KEY',
  otherKey: 'LOCKSTEP_OTHER_KEY',
  readKey: 'LOCKSTEP_READ_KEY',
};

const headerOf = (exchange: Exchange, name: string): string | undefined => {
  const value = exchange.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Each route of the contract by its key (`todos.update`). */
const CONTRACT_KEYS = new Map(contractRoutes(contract).map(({ key, route }) => [route, key.join('.')]));

/** How often one request is sent again after a 429 before its answer is taken as it is. */
const MOST_WAITS_ON_429 = 5;

/** Milliseconds a 429 asks to wait (`Retry-After`: seconds or an HTTP date; 1 s when it says nothing). */
function retryAfterMs(exchange: Exchange): number {
  const value = headerOf(exchange, 'retry-after')?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - Date.now());
}

/** What the run requested of one route: its method and path, and how often each status came back. */
export interface RouteCoverage {
  route: string;
  method: string;
  /** The contract's path template (`/todos/:id`), or the probed path for a request outside the contract. */
  path: string;
  statuses: Record<string, number>;
}

/** A route the deployment answered as deprecated while the run used it: a consumer still on it. */
export interface DeprecatedUse {
  route: string;
  method: string;
  path: string;
  /** `YYYY-MM-DD`, when the deployment named one. */
  sunset: string | undefined;
  link: string | undefined;
  requests: number;
}

/** Time spent waiting because the deployment answered 429. */
export interface Pacing {
  waits: number;
  waitedMs: number;
}

export interface SessionOptions {
  /** Per request, in milliseconds. */
  timeoutMs: number;
  /** The longest wait a 429's Retry-After may impose; a longer one is cut to this. */
  longestWaitMs: number;
  onCheck?: ((result: CheckResult) => void) | undefined;
  /** Told when a 429 makes the run wait. */
  onWait?: ((ms: number, label: string) => void) | undefined;
}

export class Session {
  readonly results: CheckResult[] = [];
  readonly coverage = new Map<string, RouteCoverage>();
  readonly deprecated = new Map<string, DeprecatedUse>();
  readonly pacing: Pacing = { waits: 0, waitedMs: 0 };
  private readonly secrets: Map<string, string>;
  private readonly drawn = new Map<string, number>();
  private readonly cleanups: Array<{ label: string; route: ContractRoute; path: string }> = [];

  constructor(
    private readonly baseUrl: URL,
    readonly keys: Keys,
    private readonly seed: number,
    private readonly options: SessionOptions,
  ) {
    this.secrets = new Map(
      Object.entries(KEY_VARIABLES).flatMap(([caller, variable]) => {
        const secret = keys[caller as keyof Keys];
        return secret ? [[secret, variable]] : [];
      }),
    );
  }

  /**
   * A fresh seed for the next value generated for `stream` (a route's bodies, say): the n-th
   * value of a stream depends only on the run's seed, the stream and n, so a run limited to one
   * route (`--only`) with the same seed sends that route what the whole run sent it.
   */
  nextSeed(stream: string): number {
    const drawn = (this.drawn.get(stream) ?? 0) + 1;
    this.drawn.set(stream, drawn);
    return createHash('sha256').update(`${this.seed}\0${stream}\0${drawn}`).digest().readUInt32BE(0);
  }

  header = headerOf;

  record(
    route: string,
    check: string,
    passed: boolean,
    detail: Omit<CheckResult, 'route' | 'check' | 'passed'> = {},
  ): boolean {
    const result: CheckResult = passed ? { route, check, passed } : { route, check, passed, ...detail };
    this.results.push(result);
    this.options.onCheck?.(result);
    return passed;
  }

  /** A check about one exchange: on failure it says what came back and how to repeat it. */
  expect(
    route: string,
    check: string,
    passed: boolean,
    exchange: Exchange,
    expected: string,
    actual?: string,
  ): boolean {
    return this.record(route, check, passed, {
      expected,
      actual: actual ?? `${exchange.status} ${exchange.text === '' ? '(no body)' : exchange.text}`,
      curl: curlOf(exchange, this.secrets),
    });
  }

  expectStatus(route: string, check: string, exchange: Exchange, status: number): boolean {
    return this.expect(route, check, exchange.status === status, exchange, `status ${status}`);
  }

  /**
   * Sends a request and holds the answer to the contract (see `contractChecks`). `route` is the
   * contract route the request is for; a probe of something the contract does not declare
   * (a method a path does not allow) passes none and gets only the checks every answer owes.
   * Answers `undefined`, with a failed check, when the deployment did not answer at all.
   */
  async send(label: string, route: ContractRoute | undefined, spec: RequestSpec): Promise<Exchange | undefined> {
    // Named in the deployment's usage ledger as a conformance run, which the deploy gate does not count.
    const headers: Record<string, string> = {
      accept: 'application/json',
      [CONTRACT_VERSION_HEADER]: conformanceConsumer(CONTRACT_VERSION),
      ...spec.headers,
    };
    const caller = spec.as ?? 'key';
    const key = caller === 'anonymous' ? undefined : this.keys[caller];
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (spec.raw) {
      body = spec.raw.text;
      headers['content-type'] = spec.raw.contentType;
    } else if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] = 'application/json';
    }
    const outgoing: OutgoingRequest = { method: spec.method, path: spec.path, headers, body };
    try {
      const exchange = await this.sendPaced(label, outgoing);
      this.covered(label, route, exchange);
      this.contractChecks(label, route, exchange);
      return exchange;
    } catch (error) {
      if (!(error instanceof NoAnswerError)) throw error;
      this.record(label, `${spec.method} ${spec.path} answers`, false, {
        expected: 'an HTTP answer',
        actual: error.message,
      });
      return undefined;
    }
  }

  /**
   * Sends the request; on a 429 waits as its Retry-After says (cut to the longest wait allowed)
   * and sends it again, a few times at most. A 429 means the request was not acted on, so
   * sending it again is safe for every method; verify checks the deployment, not its limits.
   */
  private async sendPaced(label: string, outgoing: OutgoingRequest): Promise<Exchange> {
    for (let waits = 0; ; waits += 1) {
      const exchange = await send(this.baseUrl, outgoing, this.options.timeoutMs);
      if (exchange.status !== 429 || waits === MOST_WAITS_ON_429) return exchange;
      const ms = Math.min(retryAfterMs(exchange), this.options.longestWaitMs);
      this.pacing.waits += 1;
      this.pacing.waitedMs += ms;
      this.options.onWait?.(ms, label);
      await sleep(ms);
    }
  }

  /**
   * Counts the answer's status for the route it was sent to, named by its contract key (a check
   * filed under `todos.create` may delete the created row again, which counts for `todos.remove`).
   */
  private covered(label: string, route: ContractRoute | undefined, exchange: Exchange): void {
    const { method } = exchange.request;
    const located = route && CONTRACT_KEYS.get(route);
    const name = located ?? label;
    let entry = this.coverage.get(name);
    if (!entry) {
      const path = route?.path ?? exchange.request.path.split('?')[0] ?? '';
      entry = { route: name, method, path, statuses: {} };
      this.coverage.set(name, entry);
    }
    entry.statuses[exchange.status] = (entry.statuses[exchange.status] ?? 0) + 1;
    const deprecation = readDeprecation({ get: (header) => headerOf(exchange, header) ?? null });
    if (deprecation) {
      const use = this.deprecated.get(name) ?? {
        route: name,
        method,
        path: entry.path,
        sunset: deprecation.sunset?.toISOString().slice(0, 10),
        link: deprecation.link,
        requests: 0,
      };
      use.requests += 1;
      this.deprecated.set(name, use);
    }
  }

  /** What every answer owes the contract, whatever the scenario expected of it. */
  private contractChecks(label: string, route: ContractRoute | undefined, exchange: Exchange): void {
    const { status } = exchange;
    if (route && deprecationOf(route)) {
      this.expect(
        label,
        'Deprecation and Sunset on a deprecated route',
        Boolean(headerOf(exchange, 'deprecation') && headerOf(exchange, 'sunset')),
        exchange,
        'Deprecation and Sunset headers (RFC 9745, RFC 8594)',
        `Deprecation: ${headerOf(exchange, 'deprecation') ?? 'none'}; Sunset: ${headerOf(exchange, 'sunset') ?? 'none'}`,
      );
    }
    const contentType = headerOf(exchange, 'content-type') ?? '';
    this.expect(
      label,
      'X-Request-Id on every answer',
      Boolean(headerOf(exchange, 'x-request-id')),
      exchange,
      'an X-Request-Id header',
      'none',
    );
    if (status >= 400) {
      const problem = ProblemSchema.safeParse(exchange.json);
      this.expect(
        label,
        `${status} is application/problem+json`,
        contentType.startsWith(PROBLEM_CONTENT_TYPE),
        exchange,
        `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
        `Content-Type: ${contentType || '(none)'}`,
      );
      this.expect(
        label,
        `${status} body is a problem (RFC 9457) of that status`,
        problem.success && problem.data.status === status,
        exchange,
        `{ type, title, status: ${status}, … }`,
        problem.success ? `status ${problem.data.status}` : undefined,
      );
    }
    if (!route) return;
    const conditional = route.method === 'GET' && exchange.request.headers['if-none-match'] !== undefined;
    const declared = String(status) in (route.responses as object) || (status === 304 && conditional);
    this.expect(
      label,
      `status ${status} is declared for ${route.method} ${route.path}`,
      declared,
      exchange,
      `one of ${Object.keys(route.responses).join(', ')}`,
      `${status}`,
    );
    if (!declared || status === 304 || status >= 400) return;
    const schema = (route.responses as Record<string, unknown>)[String(status)];
    if (schema instanceof z.ZodType) {
      const parsed = schema.safeParse(exchange.json);
      this.expect(
        label,
        `${status} body matches the contract`,
        parsed.success,
        exchange,
        `a body valid for ${status}`,
        parsed.success
          ? undefined
          : `${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')} in ${exchange.text.slice(0, 300)}`,
      );
      this.expect(
        label,
        `${status} is application/json`,
        contentType.startsWith('application/json'),
        exchange,
        'Content-Type: application/json',
        `Content-Type: ${contentType || '(none)'}`,
      );
    }
    if (status === 201) {
      this.expect(
        label,
        'Location on 201',
        Boolean(headerOf(exchange, 'location')),
        exchange,
        'a Location header',
        'none',
      );
    }
    if (route.method === 'GET' && status === 200) {
      this.expect(label, 'ETag on GET', Boolean(headerOf(exchange, 'etag')), exchange, 'an ETag header', 'none');
    }
  }

  /** Remembers a created row for `cleanUp`, which deletes it with the same key. */
  created(label: string, route: ContractRoute, path: string): void {
    this.cleanups.push({ label, route, path });
  }

  /** Forgets a row a scenario deleted itself. */
  deleted(path: string): void {
    const index = this.cleanups.findIndex((cleanup) => cleanup.path === path);
    if (index >= 0) this.cleanups.splice(index, 1);
  }

  /** Deletes what the run created, newest first; a row already gone with its parent is fine. */
  async cleanUp(): Promise<void> {
    for (const { label, route, path } of this.cleanups.splice(0).reverse()) {
      const exchange = await this.send(label, route, { method: 'DELETE', path });
      if (exchange)
        this.expect(
          label,
          'clean-up: what verify created is deleted',
          exchange.status === 200 || exchange.status === 404,
          exchange,
          '200, or 404 when deleted with its parent',
        );
    }
  }

  /** An idempotency key nobody else sends. */
  idempotencyKey(): string {
    return `lockstep-verify-${randomUUID()}`;
  }
}
