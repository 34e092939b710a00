import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the misbehaving server saw: one entry per request, with its arrival time. */
export interface Arrival {
  method: string;
  url: string;
  at: number;
  headers: IncomingMessage['headers'];
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, arrivals: Arrival[]) => void;

/**
 * A real HTTP server on loopback that misbehaves on purpose, recording every arrival, so tests
 * assert attempts and delays as the server saw them rather than by the test's own clock.
 */
export async function faultServer(behaviour: Behaviour) {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    arrivals.push({ method: req.method ?? '', url: req.url ?? '', at: performance.now(), headers: req.headers });
    behaviour(req, res, arrivals);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};
