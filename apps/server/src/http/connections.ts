import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The connections whose first request has not been read yet, for a shutdown that resets none.
 *
 * `server.close()` stops the listener and also closes every connection Node deems idle, and a
 * connection accepted a moment ago, whose request is still in the socket's buffer, is one of
 * them: closing it resets a request its client has already sent. Under a reconnect storm (during
 * a drain every answer says `Connection: close` and clients come straight back) some connection
 * is nearly always in that state. Waiting for an instant when none is lets the listener close
 * while every accepted connection has its request read, and then answered with
 * `Connection: close`.
 */
export class FreshConnections {
  private readonly unread = new Set<Socket>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.unread.add(socket);
      socket.once('close', () => this.unread.delete(socket));
    });
    server.on('request', (request: { socket: Socket }) => this.unread.delete(request.socket));
  }

  /**
   * Resolves at an instant when every accepted connection has had a request read, checked after
   * each turn of the event loop, or after `limitMs` (a client that connects and sends nothing
   * loses nothing when its connection closes).
   */
  async settled(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.unread.size > 0 && Date.now() < deadline) await nextTurn();
  }
}
