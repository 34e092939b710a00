import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as generatedBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import { engineOf } from './paths.js';

/**
 * Prisma's schema engine compiled to WebAssembly, run in this process on our own driver adapter.
 *
 * Why: the Prisma CLI downloads a native `schema-engine` binary on first use, which fails on
 * air-gapped machines. The Wasm build of the same engine, published on npm in lock-step with
 * each Prisma release, does the same work (diff, create and apply migrations, recorded in the
 * same `_prisma_migrations` table), so the stock `prisma migrate` commands stay interchangeable.
 */

const require = createRequire(import.meta.url);

/**
 * What this process shares of the engine, kept on `globalThis` rather than in this module: the
 * Wasm bindings are one module in Node's cache, while this module may be loaded more than once
 * (test runners and bundlers instantiate it per context). Instantiating the Wasm twice would
 * swap the memory under an engine that is running.
 */
interface SharedEngineState {
  /** The Wasm instantiated into the bindings, once. */
  instantiated?: Promise<void>;
  /** The engine that last started; the next one waits until it is done. */
  queue?: Promise<unknown>;
}
declare global {
  /** See `SharedEngineState`: one per process, whichever copy of this module made it. */
  var lockstepSchemaEngine: SharedEngineState | undefined;
}
globalThis.lockstepSchemaEngine ??= {};
const shared: SharedEngineState = globalThis.lockstepSchemaEngine;

/**
 * The package's entry imports the `.wasm` file as an ES module, which Node only allows behind
 * `--experimental-wasm-modules`. Instantiating it here through the generated bindings avoids
 * that flag and works the same under Vitest, tsx and plain Node.
 */
function instantiateWasm(): Promise<void> {
  shared.instantiated ??= (async () => {
    // The exports map only exposes the JS bindings; the .wasm file sits beside them.
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = bindingsPath.replace(/\.js$/, '.wasm');
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': generatedBindings,
    });
    generatedBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return shared.instantiated;
}

/** The version of the Wasm engine, which embeds the Prisma engines commit hash it was built from. */
export async function schemaEngineVersion(): Promise<string> {
  await instantiateWasm();
  return generatedBindings.version();
}

export interface EngineOptions {
  /** `file:` URL of a SQLite database or `postgresql://` URL of a PostgreSQL one. */
  url: string;
  /** Prisma schema text (of the URL's engine) and the path it is reported under. */
  schema: { path: string; content: string };
  /** Receives the engine's log lines (JSON strings); silent when omitted. */
  log?: (line: string) => void;
}

/**
 * Runs `work` with a schema engine connected to the database, and always frees it. One engine
 * runs at a time in a process: every engine shares the one Wasm instance and its memory, and
 * two running at once (two databases prepared together) corrupt each other's messages.
 */
export function withSchemaEngine<T>(options: EngineOptions, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const start = () => runSchemaEngine(options, work);
  const run = (shared.queue ?? Promise.resolve()).then(start, start);
  shared.queue = run.catch(() => {});
  return run;
}

async function runSchemaEngine<T>(options: EngineOptions, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await instantiateWasm();
  // Freeing the engine does not close the connections it opened; track them and close them
  // ourselves, so the database file is released before anyone else (the server) opens it.
  const factory =
    engineOf(options.url) === 'sqlite'
      ? new PrismaBetterSqlite3({ url: options.url })
      : new PrismaPg(catalogReadingPool(options.url), { disposeExternalPool: true });
  const opened: SqlDriverAdapter[] = [];
  const track = async (connection: Promise<SqlDriverAdapter>) => {
    const adapter = await connection;
    opened.push(adapter);
    return adapter;
  };
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  const engine = await generatedBindings.SchemaEngine.new(
    { datamodels: [[options.schema.path, options.schema.content]] },
    options.log ?? (() => {}),
    bindMigrationAwareSqlAdapterFactory(trackingFactory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/**
 * PostgreSQL's internal single-byte `"char"` type (OID 18), which the catalog columns the engine
 * introspects (`pg_class.relkind`, `pg_constraint.contype`, …) are made of, and `text` (OID 25).
 */
const PG_CHAR = 18;
const PG_TEXT = 25;

/**
 * A node-postgres pool for the schema engine's connections. The PostgreSQL driver adapter knows
 * no `"char"` columns and refuses any result holding one, so the engine could apply migrations
 * but never introspect a database (which `migrate:create` needs). A `"char"` arrives as a
 * one-character string either way; reporting those columns as `text` lets the adapter take them.
 * Only migration tooling uses this pool; the application's queries never read such columns.
 */
function catalogReadingPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    const asText = (result: pg.QueryResult) => {
      for (const field of result.fields ?? []) if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
      return result;
    };
    Object.assign(client, {
      // node-postgres answers by promise or, as the pool itself calls it, by callback.
      query: (...args: unknown[]) => {
        const callback = args.at(-1);
        if (typeof callback === 'function') {
          return query(...args.slice(0, -1), (error: unknown, result: pg.QueryResult) =>
            callback(error, result && asText(result)),
          );
        }
        const pending = query(...args);
        return pending instanceof Promise ? pending.then(asText) : pending;
      },
    });
  });
  return pool;
}
