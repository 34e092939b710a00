export { type AppDependencies, createApp } from './app.js';
export { AuthService, type Scope } from './auth/api-keys.js';
export { type Config, ConfigError, loadConfig } from './config.js';
/** The cursor format of list pages, for tools that start deep in a list (the paging benchmark). */
export { encodeCursor } from './core/paging.js';
export { createLogger, type Logger } from './logger.js';
export { type RunningServer, startServer } from './server.js';
