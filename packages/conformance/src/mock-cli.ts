#!/usr/bin/env node
// `pnpm mock`: the contract's mock server on PORT (default 4010) and HOST (default 127.0.0.1).
import { createMockApp } from './mock.js';

const port = Number(process.env.PORT ?? 4010);
const host = process.env.HOST ?? '127.0.0.1';
const server = createMockApp().listen(port, host, () => {
  console.log(
    `lockstep mock server on http://${host}:${port} (every route of the contract; Prefer: code=404 for errors)`,
  );
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use; set PORT.` : error.message);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
