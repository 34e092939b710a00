import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { describeStartupFailure } from './startup-errors.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    const line = describeStartupFailure(error, config);
    if (!line) throw error;
    console.error(line);
    process.exit(1);
  }
  logger.info({ url: server.url, database: config.databaseUrl }, `lockstep listening on ${server.url}`);

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    server.close().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // Configuration mistakes are the operator's to fix: print the message, not a stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
