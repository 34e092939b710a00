import type { Database } from '@lockstep/db';

export interface ApiKeyRecord {
  id: string;
  name: string;
  ownerId: string;
  secretHash: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

type Row = Omit<ApiKeyRecord, 'scopes'> & { scopes: string };
const toRecord = (row: Row): ApiKeyRecord => ({ ...row, scopes: row.scopes.split(',').filter(Boolean) });

export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  async create(key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    return toRecord(await this.db.apiKey.create({ data: { ...key, scopes: key.scopes.join(',') } }));
  }

  async findActive(id: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.apiKey.findFirst({ where: { id, revokedAt: null } });
    return row && toRecord(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.db.apiKey.findMany({ orderBy: { createdAt: 'asc' } })).map(toRecord);
  }

  /** Answers false when there is no such active key. */
  async revoke(id: string, at = new Date()): Promise<boolean> {
    const { count } = await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return count > 0;
  }
}
