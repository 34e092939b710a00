import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataAccess, Database } from '@lockstep/db';

/** `read` and `write` the API's rows; `admin` reads what operators read (the usage ledger). */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: the owner whose rows they see, and what they may do. */
export interface Principal {
  keyId: string;
  ownerId: string;
  scopes: ReadonlySet<Scope>;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  ownerId: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}

interface ApiKeyRecord {
  id: string;
  name: string;
  ownerId: string;
  secretHash: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

const toRecord = <Row extends { scopes: string }>(row: Row) => ({
  ...row,
  scopes: row.scopes.split(',').filter(Boolean),
});

/** The api_keys table: keys are found by id; only the secret's hash is stored. */
class ApiKeyStore {
  constructor(private readonly db: Database) {}

  async create(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    const row = await this.db.write
      .insertInto('api_keys')
      .values({ ...key, scopes: key.scopes.join(','), createdAt: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  /** Looked up on every request that carries a key, on that request's data access. */
  async findActive(id: string, db: DataAccess): Promise<ApiKeyRecord | null> {
    const row = await db.read
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.db.read.selectFrom('api_keys').selectAll().orderBy('createdAt').execute()).map(toRecord);
  }

  /** Answers false when there is no such active key. */
  async revoke(id: string, at = new Date()): Promise<boolean> {
    const { numUpdatedRows } = await this.db.write
      .updateTable('api_keys')
      .set({ revokedAt: at })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return numUpdatedRows > 0n;
  }
}

const TOKEN_PREFIX = 'lsk';
const TOKEN_PATTERN = /^lsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

const toInfo = (key: ApiKeyRecord): ApiKeyInfo => ({
  id: key.id,
  name: key.name,
  ownerId: key.ownerId,
  scopes: key.scopes.filter((scope): scope is Scope => (SCOPES as readonly string[]).includes(scope)),
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

/**
 * API keys. A token is `lsk_<id>_<secret>`: the id finds the key, the 256-bit secret proves
 * possession. Only SHA-256 of the secret is stored (a fast hash suffices for a random secret of
 * that size, unlike for passwords), and it is compared in constant time.
 */
export class AuthService {
  private readonly keys: ApiKeyStore;

  constructor(db: Database) {
    this.keys = new ApiKeyStore(db);
  }

  /** Creates a key and returns the token; this is the only time the token exists in clear. */
  async createKey(input: {
    name: string;
    scopes: Scope[];
    ownerId?: string;
  }): Promise<{ token: string; key: ApiKeyInfo }> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const key = await this.keys.create({
      id,
      name: input.name,
      ownerId: input.ownerId ?? `owner_${randomBytes(8).toString('hex')}`,
      secretHash: sha256(secret).toString('hex'),
      scopes: [...new Set(input.scopes)],
    });
    return { token: `${TOKEN_PREFIX}_${id}_${secret}`, key: toInfo(key) };
  }

  /**
   * The principal behind a token, or null for a malformed, unknown or revoked one. The key is
   * looked up on `db`, the request's data access (traced with it).
   */
  async authenticate(token: string, db: DataAccess): Promise<Principal | null> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return null;
    const [, id = '', secret = ''] = match;
    const key = await this.keys.findActive(id, db);
    if (!key) return null;
    const expected = Buffer.from(key.secretHash, 'hex');
    const actual = sha256(secret);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    return { keyId: key.id, ownerId: key.ownerId, scopes: new Set(toInfo(key).scopes) };
  }

  async listKeys(): Promise<ApiKeyInfo[]> {
    return (await this.keys.list()).map(toInfo);
  }

  revokeKey(id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }
}
