import { z } from 'zod';
import {
  CursorQuerySchema,
  EmptyObjectSchema,
  IdPathParamsSchema,
  IdSchema,
  LimitQuerySchema,
  RepeatedIdSchema,
  removable,
  sortQuery,
} from './common.js';
import { c, publicRoute, routerOptions } from './routes.js';

const text = (max: number) => z.string().max(max);

export const GeoSchema = z.object({ lat: text(32), lng: text(32) }).strict();

export const AddressSchema = z
  .object({
    street: text(200),
    suite: text(200),
    city: text(200),
    zipcode: text(32),
    geo: GeoSchema,
  })
  .partial()
  .strict();

export const CompanySchema = z
  .object({ name: text(200), catchPhrase: text(500), bs: text(500) })
  .partial()
  .strict();

/**
 * A user in JSONPlaceholder's shape. Only `name` is required; optional members are omitted
 * from responses when unset, never sent as `null`.
 */
export const UserSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  username: z.string().min(1).max(100).optional(),
  email: z.email().max(254).optional(),
  address: AddressSchema.optional(),
  phone: text(64).optional(),
  website: text(200).optional(),
  company: CompanySchema.optional(),
});

/** POST body: everything but the server-assigned `id`. */
export const UserCreateSchema = UserSchema.omit({ id: true }).strict();

/** PUT body: the full representation; a repeated `id` must equal the path id. */
export const UserReplaceSchema = UserCreateSchema.extend({ id: RepeatedIdSchema }).strict();

export const UserPatchSchema = z
  .object({
    id: RepeatedIdSchema,
    name: UserSchema.shape.name.optional(),
    username: removable(UserSchema.shape.username.unwrap()),
    email: removable(UserSchema.shape.email.unwrap()),
    phone: removable(UserSchema.shape.phone.unwrap()),
    website: removable(UserSchema.shape.website.unwrap()),
    address: removable(
      z
        .object({
          street: removable(AddressSchema.shape.street.unwrap()),
          suite: removable(AddressSchema.shape.suite.unwrap()),
          city: removable(AddressSchema.shape.city.unwrap()),
          zipcode: removable(AddressSchema.shape.zipcode.unwrap()),
          geo: removable(GeoSchema.partial().strict()),
        })
        .strict(),
    ),
    company: removable(
      z
        .object({
          name: removable(CompanySchema.shape.name.unwrap()),
          catchPhrase: removable(CompanySchema.shape.catchPhrase.unwrap()),
          bs: removable(CompanySchema.shape.bs.unwrap()),
        })
        .strict(),
    ),
  })
  .strict();

export const UserListQuerySchema = z
  .object({
    username: z.string().max(100).optional(),
    email: z.string().max(254).optional(),
    sort: sortQuery(['id', 'name']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export type User = z.infer<typeof UserSchema>;
export type UserCreate = z.infer<typeof UserCreateSchema>;
export type UserReplace = z.infer<typeof UserReplaceSchema>;
export type UserPatch = z.infer<typeof UserPatchSchema>;
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const usersContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/users',
      query: UserListQuerySchema,
      responses: { 200: z.array(UserSchema) },
      summary: 'List users',
      metadata: publicRoute,
    },
    create: {
      method: 'POST',
      path: '/users',
      body: UserCreateSchema,
      responses: { 201: UserSchema },
      summary: 'Create a user; answers 201 with a Location header',
      metadata: publicRoute,
    },
    get: {
      method: 'GET',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: UserSchema },
      summary: 'Get one user',
      metadata: publicRoute,
    },
    replace: {
      method: 'PUT',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserReplaceSchema,
      responses: { 200: UserSchema },
      summary: 'Replace a user with a full representation',
      metadata: publicRoute,
    },
    update: {
      method: 'PATCH',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: UserPatchSchema,
      responses: { 200: UserSchema },
      summary: 'Update a user with a JSON Merge Patch (RFC 7396); null removes an optional member',
      metadata: publicRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/users/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: "Delete a user and, with it, the user's todos; answers 200 with {}",
      metadata: publicRoute,
    },
  },
  routerOptions,
);
