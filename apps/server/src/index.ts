export { type AppDependencies, createApp } from './app.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { type RunningServer, startServer } from './server.js';
