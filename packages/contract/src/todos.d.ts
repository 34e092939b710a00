import { z } from 'zod';
/** A todo exactly as JSONPlaceholder serves it: `{ userId, id, title, completed }`. */
export declare const TodoSchema: z.ZodObject<{
    userId: z.ZodNumber;
    id: z.ZodNumber;
    title: z.ZodString;
    completed: z.ZodBoolean;
}, "strip", z.ZodTypeAny, {
    id: number;
    title: string;
    userId: number;
    completed: boolean;
}, {
    id: number;
    title: string;
    userId: number;
    completed: boolean;
}>;
/** POST body. `id` is server-assigned, so sending one is a mass-assignment attempt (422). */
export declare const TodoCreateSchema: z.ZodObject<{
    title: z.ZodString;
    userId: z.ZodNumber;
} & {
    completed: z.ZodDefault<z.ZodBoolean>;
}, "strict", z.ZodTypeAny, {
    title: string;
    userId: number;
    completed: boolean;
}, {
    title: string;
    userId: number;
    completed?: boolean | undefined;
}>;
/**
 * PUT body: the full representation. `id` may be repeated (clients often send back what they
 * read) but must equal the id in the path; the server checks that.
 */
export declare const TodoReplaceSchema: z.ZodObject<{
    title: z.ZodString;
    userId: z.ZodNumber;
} & {
    completed: z.ZodDefault<z.ZodBoolean>;
} & {
    id: z.ZodOptional<z.ZodNumber>;
}, "strict", z.ZodTypeAny, {
    title: string;
    userId: number;
    completed: boolean;
    id?: number | undefined;
}, {
    title: string;
    userId: number;
    id?: number | undefined;
    completed?: boolean | undefined;
}>;
/**
 * PATCH body (JSON Merge Patch, RFC 7396). Every todo field is required, so `null` (which
 * would remove a member) is rejected rather than accepted and then failing later.
 */
export declare const TodoPatchSchema: z.ZodObject<{
    userId: z.ZodOptional<z.ZodNumber>;
    id: z.ZodOptional<z.ZodNumber>;
    title: z.ZodOptional<z.ZodString>;
    completed: z.ZodOptional<z.ZodBoolean>;
}, "strict", z.ZodTypeAny, {
    id?: number | undefined;
    title?: string | undefined;
    userId?: number | undefined;
    completed?: boolean | undefined;
}, {
    id?: number | undefined;
    title?: string | undefined;
    userId?: number | undefined;
    completed?: boolean | undefined;
}>;
export declare const TodoListQuerySchema: z.ZodObject<{
    userId: z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>;
    completed: z.ZodOptional<z.ZodEffects<z.ZodEnum<["true", "false"]>, boolean, "true" | "false">>;
    sort: z.ZodDefault<z.ZodEnum<["id" | "-id" | "title" | "-title", ...("id" | "-id" | "title" | "-title")[]]>>;
    limit: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
    cursor: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    sort: "id" | "-id" | "title" | "-title";
    limit: number;
    cursor?: string | undefined;
    userId?: number | undefined;
    completed?: boolean | undefined;
}, {
    sort?: "id" | "-id" | "title" | "-title" | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
    userId?: string | undefined;
    completed?: "true" | "false" | undefined;
}>;
export type Todo = z.infer<typeof TodoSchema>;
export type TodoCreate = z.infer<typeof TodoCreateSchema>;
export type TodoReplace = z.infer<typeof TodoReplaceSchema>;
export type TodoPatch = z.infer<typeof TodoPatchSchema>;
export type TodoListQuery = z.infer<typeof TodoListQuerySchema>;
//# sourceMappingURL=todos.d.ts.map