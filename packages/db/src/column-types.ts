import type { ColumnType } from 'kysely';

/** A JSON value as a JSON column holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [member: string]: JsonValue };

/**
 * A `Json` column of the schema, as the generated `DB` types name it: read as the parsed value,
 * written as its JSON text. Text is what both engines keep as given (SQLite's column is TEXT;
 * PostgreSQL's is `json`, not `jsonb`, which would reorder members), so a user's `address` comes
 * back in the member order it was written in, and its ETag with it.
 */
export type JsonColumn = ColumnType<JsonValue, string, string>;
