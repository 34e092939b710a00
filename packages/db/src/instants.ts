/**
 * An instant as SQLite keeps it: ISO 8601 text in UTC with a `+00:00` offset, the form Prisma's
 * SQLite adapter writes. Every instant bound on SQLite (a written row, a keyset cursor's sort
 * value) takes this one form, so text comparison orders instants as time does.
 */
export const sqliteInstant = (date: Date): string => date.toISOString().replace('Z', '+00:00');
