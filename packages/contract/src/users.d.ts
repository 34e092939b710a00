import { z } from 'zod';
export declare const GeoSchema: z.ZodObject<{
    lat: z.ZodString;
    lng: z.ZodString;
}, "strict", z.ZodTypeAny, {
    lat: string;
    lng: string;
}, {
    lat: string;
    lng: string;
}>;
export declare const AddressSchema: z.ZodObject<{
    street: z.ZodOptional<z.ZodString>;
    suite: z.ZodOptional<z.ZodString>;
    city: z.ZodOptional<z.ZodString>;
    zipcode: z.ZodOptional<z.ZodString>;
    geo: z.ZodOptional<z.ZodObject<{
        lat: z.ZodString;
        lng: z.ZodString;
    }, "strict", z.ZodTypeAny, {
        lat: string;
        lng: string;
    }, {
        lat: string;
        lng: string;
    }>>;
}, "strict", z.ZodTypeAny, {
    street?: string | undefined;
    suite?: string | undefined;
    city?: string | undefined;
    zipcode?: string | undefined;
    geo?: {
        lat: string;
        lng: string;
    } | undefined;
}, {
    street?: string | undefined;
    suite?: string | undefined;
    city?: string | undefined;
    zipcode?: string | undefined;
    geo?: {
        lat: string;
        lng: string;
    } | undefined;
}>;
export declare const CompanySchema: z.ZodObject<{
    name: z.ZodOptional<z.ZodString>;
    catchPhrase: z.ZodOptional<z.ZodString>;
    bs: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    name?: string | undefined;
    catchPhrase?: string | undefined;
    bs?: string | undefined;
}, {
    name?: string | undefined;
    catchPhrase?: string | undefined;
    bs?: string | undefined;
}>;
/**
 * A user in JSONPlaceholder's shape. Only `name` is required; optional members are omitted
 * from responses when unset, never sent as `null`.
 */
export declare const UserSchema: z.ZodObject<{
    id: z.ZodNumber;
    name: z.ZodString;
    username: z.ZodOptional<z.ZodString>;
    email: z.ZodOptional<z.ZodString>;
    address: z.ZodOptional<z.ZodObject<{
        street: z.ZodOptional<z.ZodString>;
        suite: z.ZodOptional<z.ZodString>;
        city: z.ZodOptional<z.ZodString>;
        zipcode: z.ZodOptional<z.ZodString>;
        geo: z.ZodOptional<z.ZodObject<{
            lat: z.ZodString;
            lng: z.ZodString;
        }, "strict", z.ZodTypeAny, {
            lat: string;
            lng: string;
        }, {
            lat: string;
            lng: string;
        }>>;
    }, "strict", z.ZodTypeAny, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }>>;
    phone: z.ZodOptional<z.ZodString>;
    website: z.ZodOptional<z.ZodString>;
    company: z.ZodOptional<z.ZodObject<{
        name: z.ZodOptional<z.ZodString>;
        catchPhrase: z.ZodOptional<z.ZodString>;
        bs: z.ZodOptional<z.ZodString>;
    }, "strict", z.ZodTypeAny, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }>>;
}, "strip", z.ZodTypeAny, {
    id: number;
    name: string;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}, {
    id: number;
    name: string;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}>;
/** POST body: everything but the server-assigned `id`. */
export declare const UserCreateSchema: z.ZodObject<Omit<{
    id: z.ZodNumber;
    name: z.ZodString;
    username: z.ZodOptional<z.ZodString>;
    email: z.ZodOptional<z.ZodString>;
    address: z.ZodOptional<z.ZodObject<{
        street: z.ZodOptional<z.ZodString>;
        suite: z.ZodOptional<z.ZodString>;
        city: z.ZodOptional<z.ZodString>;
        zipcode: z.ZodOptional<z.ZodString>;
        geo: z.ZodOptional<z.ZodObject<{
            lat: z.ZodString;
            lng: z.ZodString;
        }, "strict", z.ZodTypeAny, {
            lat: string;
            lng: string;
        }, {
            lat: string;
            lng: string;
        }>>;
    }, "strict", z.ZodTypeAny, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }>>;
    phone: z.ZodOptional<z.ZodString>;
    website: z.ZodOptional<z.ZodString>;
    company: z.ZodOptional<z.ZodObject<{
        name: z.ZodOptional<z.ZodString>;
        catchPhrase: z.ZodOptional<z.ZodString>;
        bs: z.ZodOptional<z.ZodString>;
    }, "strict", z.ZodTypeAny, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }>>;
}, "id">, "strict", z.ZodTypeAny, {
    name: string;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}, {
    name: string;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}>;
/** PUT body: the full representation; a repeated `id` must equal the path id. */
export declare const UserReplaceSchema: z.ZodObject<Omit<{
    id: z.ZodNumber;
    name: z.ZodString;
    username: z.ZodOptional<z.ZodString>;
    email: z.ZodOptional<z.ZodString>;
    address: z.ZodOptional<z.ZodObject<{
        street: z.ZodOptional<z.ZodString>;
        suite: z.ZodOptional<z.ZodString>;
        city: z.ZodOptional<z.ZodString>;
        zipcode: z.ZodOptional<z.ZodString>;
        geo: z.ZodOptional<z.ZodObject<{
            lat: z.ZodString;
            lng: z.ZodString;
        }, "strict", z.ZodTypeAny, {
            lat: string;
            lng: string;
        }, {
            lat: string;
            lng: string;
        }>>;
    }, "strict", z.ZodTypeAny, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }, {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    }>>;
    phone: z.ZodOptional<z.ZodString>;
    website: z.ZodOptional<z.ZodString>;
    company: z.ZodOptional<z.ZodObject<{
        name: z.ZodOptional<z.ZodString>;
        catchPhrase: z.ZodOptional<z.ZodString>;
        bs: z.ZodOptional<z.ZodString>;
    }, "strict", z.ZodTypeAny, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }, {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    }>>;
}, "id"> & {
    id: z.ZodOptional<z.ZodNumber>;
}, "strict", z.ZodTypeAny, {
    name: string;
    id?: number | undefined;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}, {
    name: string;
    id?: number | undefined;
    email?: string | undefined;
    username?: string | undefined;
    address?: {
        street?: string | undefined;
        suite?: string | undefined;
        city?: string | undefined;
        zipcode?: string | undefined;
        geo?: {
            lat: string;
            lng: string;
        } | undefined;
    } | undefined;
    phone?: string | undefined;
    website?: string | undefined;
    company?: {
        name?: string | undefined;
        catchPhrase?: string | undefined;
        bs?: string | undefined;
    } | undefined;
}>;
export declare const UserPatchSchema: z.ZodObject<{
    id: z.ZodOptional<z.ZodNumber>;
    name: z.ZodOptional<z.ZodString>;
    username: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    email: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    phone: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    website: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    address: z.ZodOptional<z.ZodNullable<z.ZodObject<{
        street: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        suite: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        city: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        zipcode: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        geo: z.ZodOptional<z.ZodNullable<z.ZodObject<{
            lat: z.ZodOptional<z.ZodString>;
            lng: z.ZodOptional<z.ZodString>;
        }, "strict", z.ZodTypeAny, {
            lat?: string | undefined;
            lng?: string | undefined;
        }, {
            lat?: string | undefined;
            lng?: string | undefined;
        }>>>;
    }, "strict", z.ZodTypeAny, {
        street?: string | null | undefined;
        suite?: string | null | undefined;
        city?: string | null | undefined;
        zipcode?: string | null | undefined;
        geo?: {
            lat?: string | undefined;
            lng?: string | undefined;
        } | null | undefined;
    }, {
        street?: string | null | undefined;
        suite?: string | null | undefined;
        city?: string | null | undefined;
        zipcode?: string | null | undefined;
        geo?: {
            lat?: string | undefined;
            lng?: string | undefined;
        } | null | undefined;
    }>>>;
    company: z.ZodOptional<z.ZodNullable<z.ZodObject<{
        name: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        catchPhrase: z.ZodOptional<z.ZodNullable<z.ZodString>>;
        bs: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    }, "strict", z.ZodTypeAny, {
        name?: string | null | undefined;
        catchPhrase?: string | null | undefined;
        bs?: string | null | undefined;
    }, {
        name?: string | null | undefined;
        catchPhrase?: string | null | undefined;
        bs?: string | null | undefined;
    }>>>;
}, "strict", z.ZodTypeAny, {
    id?: number | undefined;
    name?: string | undefined;
    email?: string | null | undefined;
    username?: string | null | undefined;
    address?: {
        street?: string | null | undefined;
        suite?: string | null | undefined;
        city?: string | null | undefined;
        zipcode?: string | null | undefined;
        geo?: {
            lat?: string | undefined;
            lng?: string | undefined;
        } | null | undefined;
    } | null | undefined;
    phone?: string | null | undefined;
    website?: string | null | undefined;
    company?: {
        name?: string | null | undefined;
        catchPhrase?: string | null | undefined;
        bs?: string | null | undefined;
    } | null | undefined;
}, {
    id?: number | undefined;
    name?: string | undefined;
    email?: string | null | undefined;
    username?: string | null | undefined;
    address?: {
        street?: string | null | undefined;
        suite?: string | null | undefined;
        city?: string | null | undefined;
        zipcode?: string | null | undefined;
        geo?: {
            lat?: string | undefined;
            lng?: string | undefined;
        } | null | undefined;
    } | null | undefined;
    phone?: string | null | undefined;
    website?: string | null | undefined;
    company?: {
        name?: string | null | undefined;
        catchPhrase?: string | null | undefined;
        bs?: string | null | undefined;
    } | null | undefined;
}>;
export declare const UserListQuerySchema: z.ZodObject<{
    username: z.ZodOptional<z.ZodString>;
    email: z.ZodOptional<z.ZodString>;
    sort: z.ZodDefault<z.ZodEnum<["id" | "name" | "-id" | "-name", ...("id" | "name" | "-id" | "-name")[]]>>;
    limit: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
    cursor: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    sort: "id" | "name" | "-id" | "-name";
    limit: number;
    cursor?: string | undefined;
    email?: string | undefined;
    username?: string | undefined;
}, {
    sort?: "id" | "name" | "-id" | "-name" | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
    email?: string | undefined;
    username?: string | undefined;
}>;
export type User = z.infer<typeof UserSchema>;
export type UserCreate = z.infer<typeof UserCreateSchema>;
export type UserReplace = z.infer<typeof UserReplaceSchema>;
export type UserPatch = z.infer<typeof UserPatchSchema>;
export type UserListQuery = z.infer<typeof UserListQuerySchema>;
//# sourceMappingURL=users.d.ts.map