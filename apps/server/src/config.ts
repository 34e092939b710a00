import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL, engineOf, resolveDatabaseUrl } from '@lockstep/db';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An environment variable holding a whole number within bounds. */
function integerVariable(options: { min: number; max: number; fallback: number; message: string }) {
  return z
    .string()
    .regex(/^\d+$/, options.message)
    .transform(Number)
    .pipe(z.number().int().min(options.min).max(options.max))
    .default(options.fallback);
}

/** A rate limit in requests per minute; `0` turns it off. Unset: the environment's default. */
const rateLimitVariable = z
  .string()
  .regex(/^\d+$/, 'must be a number of requests per minute (0 turns the limit off)')
  .transform(Number)
  .pipe(z.number().int().max(1_000_000))
  .optional();

/**
 * The limits `NODE_ENV=production` starts with when none is set, per minute. Elsewhere limits
 * are off unless set: tutorial code and benchmarks must never meet a 429 they did not ask for.
 */
export const PRODUCTION_RATE_LIMITS = { anonymous: 300, key: 1200, authFailures: 10 } as const;

/**
 * Express's `trust proxy` (https://expressjs.com/en/guide/behind-proxies.html): `true`, `false`,
 * a number of proxy hops, or a comma-separated list of addresses, subnets and the names
 * `loopback`, `linklocal`, `uniquelocal`. Only then is `X-Forwarded-For` believed.
 */
const trustProxyVariable = z
  .string()
  .default('false')
  .transform((text): boolean | number | string => {
    const value = text.trim();
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  })
  .refine((value) => typeof value !== 'string' || value.split(',').every((part) => part.trim().length > 0), {
    error: 'must be true, false, a number of hops, or a comma-separated list of addresses or subnets',
  });

/** A duration: a whole number with its unit, `s`, `m`, `h` or `d` (`90m`, `24h`), in milliseconds. */
const DURATION_UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationVariable = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
      if (!match) {
        context.addIssue({ code: 'custom', message: 'must be a whole number with a unit: s, m, h or d (e.g. 24h)' });
        return z.NEVER;
      }
      return Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
    })
    .pipe(z.number().min(1_000, 'must be at least 1s'));

/** A comma-separated list of exporter names (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER), each one of `names`. */
const exporterListVariable = (names: readonly [string, ...string[]]) =>
  z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(names, { error: `must list exporters among ${names.join(', ')}` })))
    .optional();

/** The OTLP transports lockstep ships: protobuf or JSON over HTTP (gRPC's exporter is not installed). */
const otlpProtocolVariable = z
  .enum(['http/protobuf', 'http/json'], { error: 'must be http/protobuf or http/json (grpc is not supported)' })
  .optional();

/** A share of requests, 0 to 1. */
const shareVariable = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1, e.g. 0.01')
  .transform(Number)
  .optional();

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integerVariable({ min: 0, max: 65_535, fallback: 3000, message: 'must be a port number' }),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:|postgres(ql)?:\/\/)/,
      'must be a SQLite file: URL (file:./data/lockstep.db) or a PostgreSQL URL (postgresql://user@host:5432/lockstep)',
    )
    .default(DEFAULT_DATABASE_URL),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MAX_CONNECTIONS: integerVariable({
    min: 1,
    max: 1_000_000,
    fallback: 10_000,
    message: 'must be a number of connections',
  }),
  SHUTDOWN_DRAIN_MS: integerVariable({
    min: 0,
    max: 600_000,
    fallback: 0,
    message: 'must be a number of milliseconds',
  }),
  WEB_APP_DIR: z.string().min(1).optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, {
          error: (issue) => `${String(issue.input)} is not an origin: scheme://host[:port], no path`,
        }),
      ),
    ),
  RATE_LIMIT_ANONYMOUS: rateLimitVariable,
  RATE_LIMIT_KEY: rateLimitVariable,
  RATE_LIMIT_AUTH_FAILURES: rateLimitVariable,
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'must be 1 to 64 letters, digits or . : - _')
    .default('lockstep'),
  TRUST_PROXY: trustProxyVariable,
  SHUTDOWN_GRACE_MS: integerVariable({
    min: 0,
    max: 600_000,
    fallback: 10_000,
    message: 'must be a number of milliseconds',
  }),
  SSE_HEARTBEAT_MS: integerVariable({
    min: 100,
    max: 600_000,
    fallback: 15_000,
    message: 'must be a number of milliseconds',
  }),
  CHANGE_RETENTION: durationVariable('24h'),
  SSE_MAX_STREAMS_PER_KEY: integerVariable({
    min: 1,
    max: 100_000,
    fallback: 20,
    message: 'must be a number of streams',
  }),
  SSE_MAX_STREAMS_PER_ADDRESS: integerVariable({
    min: 1,
    max: 100_000,
    fallback: 100,
    message: 'must be a number of streams',
  }),
  RESPONSE_VALIDATION_SAMPLE: shareVariable,
  USAGE_RETENTION_DAYS: integerVariable({
    min: 0,
    max: 3_650,
    fallback: 90,
    message: 'must be a number of days (0 turns the usage ledger off)',
  }),
  USAGE_FLUSH_MS: integerVariable({
    min: 10,
    max: 3_600_000,
    fallback: 10_000,
    message: 'must be a number of milliseconds',
  }),
  METRICS_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(65_535))
    .optional(),
  // The OpenTelemetry SDK reads every OTEL_* variable itself; these are checked here only so a
  // mistake fails at start with the others, and decide whether telemetry starts at all.
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  OTEL_TRACES_EXPORTER: exporterListVariable(['otlp', 'console', 'none']),
  OTEL_METRICS_EXPORTER: exporterListVariable(['otlp', 'prometheus', 'console', 'none']),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocolVariable,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocolVariable,
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: otlpProtocolVariable,
  OTEL_EXPORTER_PROMETHEUS_PORT: z.string().regex(/^\d+$/, 'must be a port number').transform(Number).optional(),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /**
   * `postgresql://` URL of a PostgreSQL database, or an absolute `file:` URL of the embedded
   * SQLite one, so it does not move when the working directory does.
   */
  databaseUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * How long the server keeps serving after SIGTERM, with readiness failing and every response
   * asking for `Connection: close`, before it stops listening. Behind a load balancer, at least
   * the time it takes to notice a failing readiness check.
   */
  shutdownDrainMs: number;
  /** How long in-flight requests may run after SIGTERM before connections are cut. */
  shutdownGraceMs: number;
  /** Open connections beyond which new ones are refused (Node's `server.maxConnections`). */
  maxConnections: number;
  /**
   * The share of responses checked against the contract (RESPONSE_VALIDATION_SAMPLE): all of
   * them under NODE_ENV=test, so a row mapper that drifts from its schema fails the server's own
   * tests; none elsewhere unless set. A mismatch is logged and counted, never sent differently.
   */
  responseValidationSample: number;
  /** Which telemetry runs; all off unless the OTEL_* variables or METRICS_PORT ask for it. */
  telemetry: TelemetrySettings;
  /** The production build of the reference front end, served at `/app/` when it exists. */
  webAppDir: string;
  /** Origins whose browser scripts may call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Requests per minute, per client address, per API key, and failed authentications per address; null is off. */
  rateLimits: RateLimitSettings;
  /** Where rate limits are counted for every instance together; per instance in memory without it. */
  redisUrl: string | undefined;
  /** Prefix of lockstep's Redis keys, so several deployments may share one Redis. */
  redisKeyPrefix: string;
  /** Express's `trust proxy` setting: which proxies' `X-Forwarded-For` names the client. */
  trustProxy: boolean | number | string;
  /** The change feeds: heartbeat period, how long changes are kept, concurrent streams allowed. */
  feeds: FeedSettings;
  /** The usage ledger: how long its days are kept (none when off), how often counts are written. */
  usage: UsageSettings;
}

export interface UsageSettings {
  /** Days of the ledger kept (USAGE_RETENTION_DAYS); undefined turns counting off. */
  retentionDays: number | undefined;
  /** How often an instance adds its counts to the database (USAGE_FLUSH_MS). */
  flushMs: number;
}

/**
 * What the OpenTelemetry variables turn on. The spec's default exporter is OTLP, but a server
 * that nobody pointed at a collector should not try one: traces and OTLP metrics start only when
 * an exporter is named or an OTLP endpoint is set.
 */
export interface TelemetrySettings {
  /** Spans are made and exported (OTLP or console, as OTEL_TRACES_EXPORTER says). */
  traces: boolean;
  /** Metric exporters besides Prometheus: `otlp`, `console`. */
  metricExporters: ('otlp' | 'console')[];
  /** The port of the Prometheus `/metrics` listener, on HOST; none without METRICS_PORT. */
  metricsPort: number | undefined;
}

export interface FeedSettings {
  /** Longest silence on a stream: a comment line is sent at least this often (proxies drop quiet connections). */
  heartbeatMs: number;
  /** How long the change log keeps a change; a resume from an older one is told to refetch. */
  retentionMs: number;
  /** Concurrent streams per API key owner, and per client address. */
  maxStreamsPerKey: number;
  maxStreamsPerAddress: number;
}

export interface RateLimitSettings {
  anonymous: number | null;
  key: number | null;
  authFailures: number | null;
}

/** `apps/web/dist` beside this package in the repository, where `pnpm build` puts the front end. */
const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once, at start. Every problem is reported together, by
 * variable name, so a misconfigured deployment fails with one clear message instead of later.
 * A relative `DATABASE_URL` is taken from the directory the command was typed in (pnpm's
 * INIT_CWD), as every other lockstep command takes it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = env.INIT_CWD ?? process.cwd()): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    // Named by variable: `CORS_ORIGINS`, not the index of the list member inside it.
    const lines = result.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const parsed = result.data;
  return {
    nodeEnv: parsed.NODE_ENV,
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: resolveDatabaseUrl(parsed.DATABASE_URL, cwd),
    logLevel: parsed.LOG_LEVEL,
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
    shutdownDrainMs: parsed.SHUTDOWN_DRAIN_MS,
    maxConnections: parsed.MAX_CONNECTIONS,
    responseValidationSample: parsed.RESPONSE_VALIDATION_SAMPLE ?? (parsed.NODE_ENV === 'test' ? 1 : 0),
    telemetry: telemetryOf(parsed),
    webAppDir: parsed.WEB_APP_DIR ? resolve(cwd, parsed.WEB_APP_DIR) : DEFAULT_WEB_APP_DIR,
    corsOrigins: parsed.CORS_ORIGINS,
    rateLimits: rateLimitsOf(parsed),
    redisUrl: parsed.REDIS_URL,
    redisKeyPrefix: parsed.REDIS_KEY_PREFIX,
    trustProxy: parsed.TRUST_PROXY,
    feeds: {
      heartbeatMs: parsed.SSE_HEARTBEAT_MS,
      retentionMs: parsed.CHANGE_RETENTION,
      maxStreamsPerKey: parsed.SSE_MAX_STREAMS_PER_KEY,
      maxStreamsPerAddress: parsed.SSE_MAX_STREAMS_PER_ADDRESS,
    },
    usage: {
      retentionDays: parsed.USAGE_RETENTION_DAYS === 0 ? undefined : parsed.USAGE_RETENTION_DAYS,
      flushMs: parsed.USAGE_FLUSH_MS,
    },
  };
}

/** Telemetry named by the environment (see TelemetrySettings); OTEL_SDK_DISABLED=true turns all of it off. */
function telemetryOf(parsed: z.output<typeof EnvSchema>): TelemetrySettings {
  if (parsed.OTEL_SDK_DISABLED === 'true') return { traces: false, metricExporters: [], metricsPort: undefined };
  const endpoint = parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  const named = <T extends string>(list: T[] | undefined, signalEndpoint: string | undefined): T[] => {
    if (list) return list.includes('none' as T) ? [] : list;
    return endpoint || signalEndpoint ? ['otlp' as T] : [];
  };
  const traces = named(parsed.OTEL_TRACES_EXPORTER, parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const metrics = named(parsed.OTEL_METRICS_EXPORTER, parsed.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
  const prometheusPort = metrics.includes('prometheus') ? (parsed.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464) : undefined;
  return {
    traces: traces.length > 0,
    metricExporters: metrics.filter((name) => name === 'otlp' || name === 'console'),
    metricsPort: parsed.METRICS_PORT ?? prometheusPort,
  };
}

/** A limit set explicitly wins (0 is off); unset, production has its defaults and the rest none. */
function rateLimitsOf(parsed: z.output<typeof EnvSchema>): RateLimitSettings {
  const production = parsed.NODE_ENV === 'production';
  const limit = (value: number | undefined, fallback: number) =>
    value === undefined ? (production ? fallback : null) : value === 0 ? null : value;
  return {
    anonymous: limit(parsed.RATE_LIMIT_ANONYMOUS, PRODUCTION_RATE_LIMITS.anonymous),
    key: limit(parsed.RATE_LIMIT_KEY, PRODUCTION_RATE_LIMITS.key),
    authFailures: limit(parsed.RATE_LIMIT_AUTH_FAILURES, PRODUCTION_RATE_LIMITS.authFailures),
  };
}

/** Creates the folder the SQLite file lives in, so the first start needs no manual step. */
export function ensureDatabaseDirectory(config: Config): void {
  if (engineOf(config.databaseUrl) !== 'sqlite') return;
  mkdirSync(dirname(config.databaseUrl.slice('file:'.length)), { recursive: true });
}
