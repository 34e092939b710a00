import { z } from 'zod';
import { CONTRACT_VERSION_HEADER, EmptyObjectSchema, IDEMPOTENCY_KEY_PATTERN } from './common.js';
import { deprecationKeywords } from './deprecation.js';
import { CHANGE_KINDS, FEED_CURSOR_PATTERN, type Feed, feedList, RESET_EVENT } from './feeds.js';
import { contractLinks } from './openapi-links.js';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem.js';
import { type Contract, contract } from './router.js';
import {
  accessOf,
  type ContractRoute,
  type ContractRouter,
  contractRoutes,
  type Deprecation,
  deprecationOf,
  ERROR_STATUSES,
} from './routes.js';
import { CONTRACT_VERSION } from './version.js';

/**
 * The OpenAPI 3.1 document of the contract, derived from it route by route: nothing in it is
 * written by hand but the prose. zod 4 emits JSON Schema draft 2020-12, the dialect of OpenAPI
 * 3.1, so schemas pass through as they are. Request schemas are described as clients send them
 * (defaults optional), responses as the server answers them.
 */

type Json = Record<string, unknown>;

/** Example bodies per resource (the seed data's first todo and user, say), keyed like the contract. */
export type OpenApiExamples = Partial<Record<keyof Contract, unknown>>;

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request: a malformed body, path or query parameter',
  401: 'Unauthorized: no API key, or one that is malformed, unknown or revoked',
  403: 'Forbidden: the key lacks the scope',
  404: 'Not Found (another owner’s resource answers 404 too)',
  405: 'Method Not Allowed',
  409: 'Conflict: a business rule, or an Idempotency-Key still in flight',
  412: 'Precondition Failed: If-Match does not match the current ETag',
  413: 'Content Too Large: the body is over 1 MiB',
  415: 'Unsupported Media Type: the body is not JSON',
  422: 'Unprocessable Content: the body breaks the schema; errors[] names each field',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * A union whose branches say the same once parsed (a number, or a string piped to that number)
 * is one schema; a branch that is a transform's unrepresentable output (`{}`) adds nothing.
 */
function simplify(schema: Json): Json {
  if (!Array.isArray(schema.anyOf)) return schema;
  const branches = (schema.anyOf as Json[]).filter((branch) => Object.keys(branch).length > 0);
  const first = JSON.stringify(branches[0]);
  if (branches.length === 0 || !branches.every((branch) => JSON.stringify(branch) === first)) return schema;
  const { anyOf: _branches, ...rest } = schema;
  return { ...(branches[0] as Json), ...rest };
}

/** JSON Schema of a zod schema, without the `$schema` keyword (the document declares the dialect). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return simplify(rest);
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A resource's key in the contract, in singular and capitalised: `todos` → `Todo`. */
const singularOf = (resource: string) => `${resource[0]?.toUpperCase()}${resource.slice(1).replace(/s$/, '')}`;

/**
 * The named schemas of the document (`components.schemas`): each concept of the contract once, a
 * resource, its create, replace and patch bodies, its list page, the problem, referenced from every
 * media type that carries it, so that a code generator makes one model per concept. Names come
 * from the contract: the resource's key in singular (`todos` → `Todo`) and the route's role.
 */
class SchemaComponents {
  readonly schemas: Record<string, Json> = {};
  private readonly names = new Map<z.ZodType, string>();

  constructor(router: ContractRouter) {
    this.names.set(ProblemSchema, 'Problem');
    this.names.set(EmptyObjectSchema, 'Deleted');
    const roles: Record<string, (route: ContractRoute) => [unknown, string]> = {
      get: (route) => [route.responses[200], ''],
      create: (route) => ['body' in route ? route.body : undefined, 'Create'],
      replace: (route) => ['body' in route ? route.body : undefined, 'Replace'],
      update: (route) => ['body' in route ? route.body : undefined, 'Patch'],
    };
    for (const [resource, resourceRouter] of Object.entries(router)) {
      const singular = singularOf(resource);
      for (const { key, route } of contractRoutes(resourceRouter as ContractRouter)) {
        const role = roles[key.at(-1) ?? ''];
        const [schema, suffix] = role?.(route) ?? [];
        if (schema instanceof z.ZodType) this.names.set(schema, `${singular}${suffix}`);
      }
    }
  }

  /** A feed's change (`TodoChange`), its item referring to the resource's own schema. */
  change(feed: Feed): Json {
    const name = `${singularOf(feed.resource)}Change`;
    if (!this.schemas[name]) {
      const schema = jsonSchema(feed.change, 'output');
      const properties = schema.properties as Json;
      properties.item = {
        anyOf: [this.use(feed.item, 'output'), { type: 'null' }],
        description: 'The item as GET answers it; null once deleted.',
      };
      this.schemas[name] = schema;
    }
    return schemaRef(name);
  }

  /** The schema as a `$ref` when it is a named concept or a list of one, else inline. */
  use(schema: z.ZodType, io: 'input' | 'output'): Json {
    const name = this.names.get(schema);
    if (name) {
      this.schemas[name] ??= jsonSchema(schema, io);
      return schemaRef(name);
    }
    const item = schema instanceof z.ZodArray ? this.names.get(schema.element as z.ZodType) : undefined;
    if (schema instanceof z.ZodArray && item) {
      this.schemas[`${item}List`] ??= {
        type: 'array',
        items: this.use(schema.element as z.ZodType, io),
        description: `A page of ${item} items; the \`Link\` header names the next one.`,
      };
      return schemaRef(`${item}List`);
    }
    return jsonSchema(schema, io);
  }
}

const header = (description: string, schema: Json = { type: 'string' }) => ({ description, schema });

/** Headers every response carries, defined once in `components.headers`. */
const SHARED_HEADERS = {
  'X-Request-Id': header('Identifies this request: yours when you sent a usable one, else a new UUID.'),
  [CONTRACT_VERSION_HEADER]: header('The version of the contract the server implements.'),
};
/**
 * The IETF draft's rate-limit fields (draft-ietf-httpapi-ratelimit-headers), on every counted
 * answer of a deployment that limits requests (production, by default).
 */
const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': header(
    'When this deployment limits requests: the quota this request counts against, e.g. `"key";q=1200;w=60` (1,200 per 60 s).',
  ),
  RateLimit: header(
    'When this deployment limits requests: what is left of it, e.g. `"key";r=1187;t=42` (42 s to reset).',
  ),
};
/** What every answer of a deprecated route carries beside `Link` (`deprecationHeaders`). */
const DEPRECATION_HEADERS = {
  Deprecation: header('RFC 9745: when this route was deprecated, as `@<seconds since 1970>`.'),
  Sunset: header('RFC 8594: the HTTP-date from which this route may stop answering.'),
};
const refs = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(headers).map((name) => [name, { $ref: `#/components/headers/${name}` }]));
const COMMON_HEADERS = refs(SHARED_HEADERS);
const RATE_LIMIT_REFS = refs(RATE_LIMIT_HEADERS);

const problemResponse = (status: number) => ({
  description: REASONS[status] ?? String(status),
  headers: {
    ...COMMON_HEADERS,
    ...(status === 401 || status === 403
      ? { 'WWW-Authenticate': header('RFC 6750 challenge: `Bearer realm="lockstep"`, with error and scope.') }
      : {}),
    ...(status === 405 ? { Allow: header('The methods this path answers.') } : {}),
    ...(status === 409 || status === 429 || status === 503
      ? { 'Retry-After': header('Seconds to wait before retrying.') }
      : {}),
    ...(status === 429 ? RATE_LIMIT_REFS : {}),
  },
  content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
});

/** `/todos/:id` → `/todos/{id}` */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The path and query parameters of a route or feed, from its schemas. */
function schemaParameters(pathParams: unknown, query: unknown): Json[] {
  const list: Json[] = [];
  const add = (where: 'path' | 'query', schema: unknown) => {
    if (!(schema instanceof z.ZodObject)) return;
    for (const [name, member] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      list.push({
        name,
        in: where,
        required: where === 'path' || !member.safeParse(undefined).success,
        schema: jsonSchema(member, 'output'),
        ...(member.description ? { description: member.description } : {}),
      });
    }
  };
  add('path', pathParams);
  add('query', query);
  return list;
}

function parameters(route: ContractRoute): Json[] {
  const list = schemaParameters(route.pathParams, route.query);
  if (route.method === 'GET') {
    list.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'An ETag you hold; unchanged → 304.',
    });
  }
  if (['PUT', 'PATCH', 'DELETE'].includes(route.method)) {
    list.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      schema: { type: 'string' },
      description: 'The ETag the change is based on; stale → 412, nothing changed.',
    });
  }
  if (route.method === 'POST') {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
      description:
        'Run this POST once: a retry with the same key and body replays the first response. 1 to 255 visible ASCII characters, or the same in double quotes (a Structured Fields string).',
    });
  }
  list.push(REQUEST_ID_PARAMETER);
  return list;
}

const REQUEST_ID_PARAMETER: Json = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  // Not a pattern: the server refuses no request for this header; it replaces one it cannot use.
  schema: { type: 'string' },
  description:
    'Your id for this request, echoed back and logged: used when it is 1 to 128 of `A-Z a-z 0-9 . _ : @ -`, else replaced by a new UUID.',
};

function requestBody(route: ContractRoute, components: SchemaComponents): Json | undefined {
  if (route.method === 'GET' || route.method === 'DELETE' || !('body' in route)) return undefined;
  if (!(route.body instanceof z.ZodType)) return undefined;
  const schema = components.use(route.body, 'input');
  const media = route.method === 'PATCH' ? ['application/json', 'application/merge-patch+json'] : ['application/json'];
  return { required: true, content: Object.fromEntries(media.map((type) => [type, { schema }])) };
}

interface ResponseParts {
  example: unknown;
  links: Json | undefined;
  components: SchemaComponents;
}

function successResponse(route: ContractRoute, status: number, schema: z.ZodType, parts: ResponseParts): Json {
  const { example, links, components } = parts;
  const isList = route.method === 'GET' && schema instanceof z.ZodArray;
  const headers: Json = { ...COMMON_HEADERS, ...RATE_LIMIT_REFS };
  if (route.method === 'GET') {
    headers.ETag = header('Strong entity tag of this representation.');
    headers['Cache-Control'] = header(accessOf(route) === 'owner' ? '`private, no-cache`' : '`no-cache`');
  }
  if (status === 201) headers.Location = header('Where the created resource lives, e.g. `/todos/201`.');
  const deprecation = deprecationOf(route);
  if (deprecation) Object.assign(headers, DEPRECATION_HEADERS);
  if (isList || deprecation) {
    headers.Link = header(
      [
        isList ? 'RFC 8288 `<…?cursor=…>; rel="next"` when another page follows.' : '',
        deprecation ? `\`<${deprecation.link}>; rel="deprecation"\` (RFC 9745 §3).` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  const exampleValue =
    example === undefined ? undefined : isList ? [example] : route.method === 'DELETE' ? undefined : example;
  return {
    description: REASONS[status] ?? String(status),
    headers,
    content: {
      'application/json': {
        schema: components.use(schema, 'output'),
        ...(exampleValue !== undefined ? { example: exampleValue } : {}),
      },
    },
    ...(links ? { links } : {}),
  };
}

/**
 * Who may call it, in OpenAPI's terms. An owner route requires a key with its scope. A public read
 * requires nothing, so it states no requirement at all (a requirement of `{}` alone makes client
 * generators ask for credentials). A public write needs a `write` key only in production: either
 * no credentials or the key, the standard way to state optional authentication.
 */
function security(route: ContractRoute): Json {
  const scope = route.method === 'GET' ? 'read' : 'write';
  if (accessOf(route) === 'owner') return { security: [{ apiKey: [scope] }] };
  return route.method === 'GET' ? {} : { security: [{}, { apiKey: [scope] }] };
}

/**
 * A change feed as OpenAPI 3.1 can say it: a `text/event-stream` response whose events are
 * described by `x-itemSchema`, the shape OpenAPI 3.2 gives `itemSchema` (each event an object of
 * `id`, `event`, `data`, `retry`; `data` JSON holding the resource's change schema), so tools that
 * read 3.2 find it where they expect it once the document moves to 3.2.
 */
function feedOperation(feed: Feed, components: SchemaComponents): Json {
  const problems = [400, ...(feed.access === 'owner' ? [401, 403] : []), ...(feed.pathParams ? [404] : []), 429, 503];
  return {
    operationId: `${feed.resource}.changes`,
    tags: [feed.resource],
    summary: feed.summary,
    description: [
      feed.access === 'owner'
        ? "Owner-only: needs an API key with the `read` scope; only the caller's rows are sent."
        : 'Public: anyone may follow it.',
      'One event per committed change, in commit order: `id:` a cursor, `event:` created, updated or deleted, `data:` the item as GET answers it (null once deleted) and its ETag.',
      'Resume with `Last-Event-ID` (or `lastEventId`): every change after that event, then live. A cursor older than the retained changes answers `event: reset`: refetch, then follow.',
      'A comment line at least every `SSE_HEARTBEAT_MS`; `retry:` once at the start and again when the server shuts down.',
    ].join(' '),
    parameters: [
      ...schemaParameters(feed.pathParams, feed.query),
      {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        schema: { type: 'string', pattern: FEED_CURSOR_PATTERN },
        description:
          'The `id:` of the last event received (what EventSource sends on reconnecting); wins over `lastEventId`.',
      },
      REQUEST_ID_PARAMETER,
    ],
    responses: {
      '200': {
        description: 'A stream of Server-Sent Events (WHATWG HTML §9.2) that lasts until either side closes it.',
        headers: {
          ...COMMON_HEADERS,
          'Cache-Control': header(feed.access === 'owner' ? '`private, no-cache`' : '`no-cache`'),
        },
        content: {
          'text/event-stream': {
            schema: { type: 'string' },
            'x-itemSchema': {
              type: 'object',
              properties: {
                id: { type: 'string', pattern: FEED_CURSOR_PATTERN },
                event: { type: 'string', enum: [...CHANGE_KINDS, RESET_EVENT] },
                data: {
                  type: 'string',
                  contentMediaType: 'application/json',
                  contentSchema: components.change(feed),
                },
                retry: { type: 'integer', minimum: 0 },
              },
            },
          },
        },
      },
      ...Object.fromEntries(problems.map((status) => [status, { $ref: `#/components/responses/Problem${status}` }])),
    },
    ...(feed.access === 'owner' ? { security: [{ apiKey: ['read'] }] } : {}),
  };
}

interface DocumentParts {
  examples: OpenApiExamples;
  links: Map<string, Json>;
  components: SchemaComponents;
}

/** What the docs page shows first on a deprecated operation. */
const deprecationNote = (deprecation: Deprecation) =>
  `**Deprecated** since ${deprecation.since}; it may stop answering from ${deprecation.sunset} (${deprecation.link}).`;

function operation(key: string[], route: ContractRoute, { examples, links, components }: DocumentParts): Json {
  const [resource = ''] = key;
  const operationId = key.join('.');
  const access = accessOf(route);
  const scope = route.method === 'GET' ? 'read' : 'write';
  const responses: Json = {};
  for (const [status, schema] of Object.entries(route.responses as Record<string, unknown>)) {
    const code = Number(status);
    if ((ERROR_STATUSES as readonly number[]).includes(code)) {
      responses[status] = { $ref: `#/components/responses/Problem${status}` };
    } else if (schema instanceof z.ZodType) {
      const example = examples[resource as keyof Contract];
      responses[status] = successResponse(route, code, schema, { example, links: links.get(operationId), components });
    }
  }
  if (route.method === 'GET')
    responses['304'] = { description: 'Not Modified: If-None-Match matched the current ETag.' };
  const body = requestBody(route, components);
  const deprecation = deprecationOf(route);
  return {
    operationId,
    tags: [resource],
    summary: route.summary,
    description: [
      deprecation ? deprecationNote(deprecation) : '',
      access === 'owner'
        ? `Owner-only: needs an API key with the \`${scope}\` scope; another owner's rows answer 404.`
        : 'Public: anyone may call it; with NODE_ENV=production, writes need a key with the `write` scope.',
    ]
      .filter(Boolean)
      .join(' '),
    ...(deprecation ? deprecationKeywords(deprecation) : {}),
    parameters: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses,
    ...security(route),
  };
}

/**
 * The whole document, for this contract version. `router` is the contract unless a test gives a
 * fixture of its own (the feeds belong to the contract, and come only with it).
 */
export function openApiDocument(examples: OpenApiExamples = {}, router: ContractRouter = contract): Json {
  const paths: Record<string, Json> = {};
  const components = new SchemaComponents(router);
  const parts: DocumentParts = { examples, links: contractLinks(router), components };
  for (const { key, route } of contractRoutes(router)) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    (paths[path] as Json)[route.method.toLowerCase()] = operation(key, route, parts);
  }
  for (const feed of router === contract ? feedList() : []) {
    const path = openApiPath(feed.path);
    paths[path] ??= {};
    (paths[path] as Json).get = feedOperation(feed, components);
  }
  // The problem is named even when no route's body uses it: every error response refers to it.
  components.use(ProblemSchema, 'output');
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'lockstep',
      version: CONTRACT_VERSION,
      description:
        'The lockstep REST API, generated from its contract (@lockstep/contract). Errors are RFC 9457 problem details; lists page with `limit` and a `cursor` from the `Link` header.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: Object.keys(router).map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      responses: Object.fromEntries(ERROR_STATUSES.map((status) => [`Problem${status}`, problemResponse(status)])),
      headers: { ...SHARED_HEADERS, ...RATE_LIMIT_HEADERS },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key `lsk_<id>_<secret>` from `keys:create`, with the scopes `read` and/or `write`.',
        },
      },
    },
  };
}
