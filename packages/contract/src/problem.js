import { z } from 'zod';
/** One offending field of a rejected request. `path` is a JSON Pointer (RFC 6901) into the input. */
export const FieldErrorSchema = z.object({
    path: z.string(),
    message: z.string(),
    code: z.string(),
});
/** RFC 9457 problem details: the body of every error response, sent as `application/problem+json`. */
export const ProblemSchema = z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
});
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
//# sourceMappingURL=problem.js.map