import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as generatedBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * Prisma's schema engine compiled to WebAssembly, run in this process on our own driver adapter.
 *
 * Why: the Prisma CLI downloads a native `schema-engine` binary on first use, which fails on
 * air-gapped machines. The Wasm build of the same engine, published on npm in lock-step with
 * each Prisma release, does the same work (diff, create and apply migrations, recorded in the
 * same `_prisma_migrations` table), so the stock `prisma migrate` commands stay interchangeable.
 */

const require = createRequire(import.meta.url);

/** What wasm-bindgen's generated JS exposes; its published typings omit the setter. */
interface WasmBindings {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  version(): string;
  SchemaEngine: typeof SchemaEngine;
}
const bindings = generatedBindings as unknown as WasmBindings;

let instantiated: Promise<void> | undefined;

/**
 * The package's entry imports the `.wasm` file as an ES module, which Node only allows behind
 * `--experimental-wasm-modules`. Instantiating it here through the generated bindings avoids
 * that flag and works the same under Vitest, tsx and plain Node.
 */
function instantiateWasm(): Promise<void> {
  instantiated ??= (async () => {
    // The exports map only exposes the JS bindings; the .wasm file sits beside them.
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = bindingsPath.replace(/\.js$/, '.wasm');
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': generatedBindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

/** The version of the Wasm engine, which embeds the Prisma engines commit hash it was built from. */
export async function schemaEngineVersion(): Promise<string> {
  await instantiateWasm();
  return bindings.version();
}

export interface EngineOptions {
  /** `file:` URL of the SQLite database. */
  url: string;
  /** Prisma schema text and the path it is reported under. */
  schema: { path: string; content: string };
  /** Receives the engine's log lines (JSON strings); silent when omitted. */
  log?: (line: string) => void;
}

/** Runs `work` with a schema engine connected to the database, and always frees it. */
export async function withSchemaEngine<T>(
  options: EngineOptions,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await instantiateWasm();
  // Freeing the engine does not close the connections it opened; track them and close them
  // ourselves, so the database file is released before anyone else (the server) opens it.
  const factory = new PrismaBetterSqlite3({ url: options.url });
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
  const engine = await bindings.SchemaEngine.new(
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
