#!/usr/bin/env node
import { parseArgs } from 'node:util';
// API key administration, run on the server's machine against its database:
//   keys:create --name NAME --scopes read,write [--owner OWNER_ID]   prints the key once
//   keys:list                                                        id, name, owner, scopes, state
//   keys:revoke --id KEY_ID
// A new key gets a new owner unless --owner names an existing one (several keys, same rows).
import { openMigratedDatabase } from '@lockstep/db';
import { AuthService, SCOPES, type Scope } from './auth/api-keys.js';
import { ConfigError, ensureDatabaseDirectory, loadConfig } from './config.js';

const USAGE = `usage:
  keys:create --name NAME --scopes read,write [--owner OWNER_ID]
  keys:list
  keys:revoke --id KEY_ID`;

class UsageError extends Error {}

function parseScopes(text: string | undefined): Scope[] {
  if (!text) throw new UsageError('--scopes is required, e.g. --scopes read,write');
  const scopes = text.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new UsageError(`Unknown scope ${unknown.join(', ')}; scopes are ${SCOPES.join(', ')}.`);
  }
  return scopes as Scope[];
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      owner: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (!command || !['create', 'list', 'revoke'].includes(command)) throw new UsageError('Unknown command.');
  const config = loadConfig();
  ensureDatabaseDirectory(config);
  const { db } = await openMigratedDatabase({ url: config.databaseUrl });
  try {
    const auth = new AuthService(db);
    if (command === 'create') {
      if (!values.name) throw new UsageError('--name is required.');
      const { token, key } = await auth.createKey({
        name: values.name,
        scopes: parseScopes(values.scopes),
        ownerId: values.owner,
      });
      console.log(`Created key ${key.id} "${key.name}" for owner ${key.ownerId} with scopes ${key.scopes.join(',')}.`);
      console.log('Store it now; it is not shown again and cannot be recovered:');
      console.log(token);
    } else if (command === 'list') {
      for (const key of await auth.listKeys()) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        console.log(`${key.id}  ${key.name}  owner=${key.ownerId}  scopes=${key.scopes.join(',')}  ${state}`);
      }
    } else {
      if (!values.id) throw new UsageError('--id is required.');
      if (!(await auth.revokeKey(values.id))) {
        console.error(`No active key ${values.id}.`);
        return 1;
      }
      console.log(`Revoked key ${values.id}.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      (error instanceof TypeError && 'code' in error)
    ) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
