#!/usr/bin/env node
// `pnpm mock`: the contract's mock server on PORT (default 4010) and HOST (default 127.0.0.1).
import type { AddressInfo } from 'node:net';
import { createMockApp } from './mock.js';

const port = Number(process.env.PORT ?? 4010);
const host = process.env.HOST ?? '127.0.0.1';
const server = createMockApp().listen(port, host, () => {
  // The port bound, not the one asked for: PORT=0 picks a free one.
  const bound = (server.address() as AddressInfo).port;
  console.log(
    `lockstep mock server on http://${host}:${bound} (every route of the contract; Prefer: code=404 for errors)`,
  );
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use; set PORT.` : error.message);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
