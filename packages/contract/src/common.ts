import { z } from 'zod';

/** Largest id a client may name: ids are 32-bit signed integers in every supported database. */
export const MAX_ID = 2_147_483_647;

/** A server-assigned integer id as it appears in a JSON body. */
export const IdSchema = z.number().int().positive().max(MAX_ID);

/**
 * The id a PUT or PATCH body may repeat, as clients send back what they read: left out, or equal
 * to the id in the path. JSON Schema cannot compare a member with the URL, so its description
 * states the rule; the server answers 422 naming `/id` when it is broken.
 */
export const RepeatedIdSchema = IdSchema.optional().meta({
  description: 'May be left out; when sent, must equal the id in the path (ids cannot change: another id answers 422).',
});

/** JSON Schema keyword naming the resource an id member refers to, e.g. `"x-references": "users"`. */
export const REFERENCES_KEYWORD = 'x-references';

/**
 * An id that must name an existing row of another resource (its key in the contract, e.g.
 * `users`); any other id answers 422. Stated in the schema so the docs and `lockstep verify`
 * know the relation rather than guessing it from the member's name.
 */
export const referenceTo = (resource: string, description: string) =>
  IdSchema.meta({ [REFERENCES_KEYWORD]: resource, description });

/**
 * An id taken from the URL. Path segments are strings, so digits are coerced; anything else
 * (`/todos/abc`, `/todos/1.5`, `/todos/0`) is a bad request, never a lookup. A number is taken
 * as is, for callers (tRPC) that pass parameters as JSON rather than in a URL.
 */
export const PathIdSchema = z.union([
  IdSchema,
  z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive integer')
    .transform(Number)
    .pipe(IdSchema),
]);

export const IdPathParamsSchema = z.object({ id: PathIdSchema });

/** Page size for lists: JSONPlaceholder clients send none and expect a bounded default. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export const LimitQuerySchema = z
  .union([
    z.number().int().min(1).max(MAX_PAGE_SIZE),
    z
      .string()
      .regex(/^[0-9]+$/, 'must be a positive integer')
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE)),
  ])
  .optional()
  .default(DEFAULT_PAGE_SIZE);

/** Query strings carry booleans as text; only the two JSON spellings are accepted. */
export const BooleanQuerySchema = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

/** Merge-patch form of an optional member (RFC 7396): it may be left out, or `null` to remove it. */
export const removable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** The body of a successful DELETE: an empty object, which is what JSONPlaceholder returns. */
export const EmptyObjectSchema = z.object({}).strict();

/** An opaque page cursor, as returned in a `Link: <…>; rel="next"` header. */
export const CursorQuerySchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor taken from a Link header');

/**
 * The target of the `rel="next"` link in a `Link` header (RFC 8288), as the server sends it when
 * another page follows; `undefined` on the last page. Read by the client and by `lockstep verify`.
 */
export const nextPageLink = (header: string | null | undefined): string | undefined => linkTarget(header, 'next');

/**
 * The target of the first link of relation `rel` in a `Link` header (RFC 8288 §3): a header may
 * hold several links (a page's `next` beside a route's `deprecation`), and a link several
 * space-separated relations.
 */
export function linkTarget(header: string | null | undefined, rel: string): string | undefined {
  const relation = new RegExp(`;\\s*rel="?([^";]*\\s)?${rel}(\\s[^";]*)?"?\\s*(;|$)`, 'i');
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && relation.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/**
 * `sort=field` (ascending) or `sort=-field` (descending) over the given fields. Only indexed
 * fields are offered, so every sorted page is an index range scan.
 */
export const sortQuery = <const Field extends string>(fields: readonly [Field, ...Field[]]) =>
  z.enum(fields.flatMap((field) => [field, `-${field}`]) as [Field | `-${Field}`, ...Array<Field | `-${Field}`>]);

/** An instant in ISO 8601 with an explicit offset, e.g. `2026-11-25T10:00:00Z`. */
export const DateTimeSchema = z.iso.datetime({ offset: true });

/**
 * An `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header): 1 to 255 visible ASCII
 * characters, either as a Structured Fields string in double quotes, as the draft writes it, or
 * bare, as most clients send it; no double quote inside the quoted form or opening the bare one,
 * so that each header has one reading. The OpenAPI document declares it and the server enforces it.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^(?:"[\\x21\\x23-\\x7E]{1,255}"|[\\x21\\x23-\\x7E][\\x21-\\x7E]{0,254})$';

/** Header sent by the server on every response: the version of this contract it implements. */
export const CONTRACT_VERSION_HEADER = 'x-contract-version';
