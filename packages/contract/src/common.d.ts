import { z } from 'zod';
/** Largest id a client may name: ids are 32-bit signed integers in every supported database. */
export declare const MAX_ID = 2147483647;
/** A server-assigned integer id as it appears in a JSON body. */
export declare const IdSchema: z.ZodNumber;
/**
 * An id taken from the URL. Path segments are strings, so digits are coerced; anything else
 * (`/todos/abc`, `/todos/1.5`, `/todos/0`) is a bad request, never a lookup.
 */
export declare const PathIdSchema: z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>;
export declare const IdPathParamsSchema: z.ZodObject<{
    id: z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>;
}, "strip", z.ZodTypeAny, {
    id: number;
}, {
    id: string;
}>;
/** Page size for lists: JSONPlaceholder clients send none and expect a bounded default. */
export declare const DEFAULT_PAGE_SIZE = 100;
export declare const MAX_PAGE_SIZE = 1000;
export declare const LimitQuerySchema: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
/** Query strings carry booleans as text; only the two JSON spellings are accepted. */
export declare const BooleanQuerySchema: z.ZodEffects<z.ZodEnum<["true", "false"]>, boolean, "true" | "false">;
/** The body of a successful DELETE: an empty object, which is what JSONPlaceholder returns. */
export declare const EmptyObjectSchema: z.ZodObject<{}, "strict", z.ZodTypeAny, {}, {}>;
/** An opaque page cursor, as returned in a `Link: <…>; rel="next"` header. */
export declare const CursorQuerySchema: z.ZodString;
/**
 * `sort=field` (ascending) or `sort=-field` (descending) over the given fields. Only indexed
 * fields are offered, so every sorted page is an index range scan.
 */
export declare const sortQuery: <const Field extends string>(fields: readonly [Field, ...Field[]]) => z.ZodEnum<[Field | `-${Field}`, ...(Field | `-${Field}`)[]]>;
/** An instant in ISO 8601 with an explicit offset, e.g. `2026-11-25T10:00:00Z`. */
export declare const DateTimeSchema: z.ZodString;
/** Header sent by the server on every response: the version of this contract it implements. */
export declare const CONTRACT_VERSION_HEADER = "x-contract-version";
//# sourceMappingURL=common.d.ts.map