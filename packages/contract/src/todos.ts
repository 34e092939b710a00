import { z } from 'zod';
import {
  BooleanQuerySchema,
  CursorQuerySchema,
  IdSchema,
  LimitQuerySchema,
  PathIdSchema,
  sortQuery,
} from './common.js';

/** A todo exactly as JSONPlaceholder serves it: `{ userId, id, title, completed }`. */
export const TodoSchema = z.object({
  userId: IdSchema,
  id: IdSchema,
  title: z.string().min(1).max(500),
  completed: z.boolean(),
});

/** POST body. `id` is server-assigned, so sending one is a mass-assignment attempt (422). */
export const TodoCreateSchema = TodoSchema.omit({ id: true })
  .extend({ completed: TodoSchema.shape.completed.default(false) })
  .strict();

/**
 * PUT body: the full representation. `id` may be repeated (clients often send back what they
 * read) but must equal the id in the path; the server checks that.
 */
export const TodoReplaceSchema = TodoCreateSchema.extend({ id: IdSchema.optional() }).strict();

/**
 * PATCH body (JSON Merge Patch, RFC 7396). Every todo field is required, so `null` (which
 * would remove a member) is rejected rather than accepted and then failing later.
 */
export const TodoPatchSchema = TodoSchema.partial().strict();

export const TodoListQuerySchema = z
  .object({
    userId: PathIdSchema.optional(),
    completed: BooleanQuerySchema.optional(),
    sort: sortQuery(['id', 'title']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export type Todo = z.infer<typeof TodoSchema>;
export type TodoCreate = z.infer<typeof TodoCreateSchema>;
export type TodoReplace = z.infer<typeof TodoReplaceSchema>;
export type TodoPatch = z.infer<typeof TodoPatchSchema>;
export type TodoListQuery = z.infer<typeof TodoListQuerySchema>;
