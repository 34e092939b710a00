import type { Server } from 'node:http';
import { type Socket, Server as TcpServer } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The server's newest connections, for a shutdown that resets no request.
 *
 * A connection the server accepted a moment ago may hold a request its client has already sent,
 * still unread in the socket's buffer. Closing it then resets that request. `http.Server#close`
 * does just that: besides stopping the listener, it closes every connection Node deems idle, and
 * an accepted connection whose first request is unread is one, as is a keep-alive connection
 * between two requests of a busy client. So shutdown stops the listener alone
 * (`stopListening`), at an instant when no accepted connection is unread and none is arriving
 * (`quiet`), and leaves every open connection to end after its next answer.
 */
export class NewConnections {
  private readonly unread = new Set<Socket>();
  private lastAcceptedAt = 0;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.lastAcceptedAt = performance.now();
      this.unread.add(socket);
      socket.once('close', () => this.unread.delete(socket));
    });
    server.on('request', (request: { socket: Socket }) => this.unread.delete(request.socket));
  }

  /**
   * Resolves once every accepted connection has had a request read and none was accepted for
   * `quietMs` (a client sent away a moment ago may be reconnecting), checked after each turn of
   * the event loop; or after `limitMs`, since a client that connects and sends nothing loses
   * nothing when its connection closes.
   */
  async quiet(quietMs: number, limitMs: number): Promise<void> {
    const deadline = performance.now() + limitMs;
    while (performance.now() < deadline) {
      if (this.unread.size === 0 && performance.now() - this.lastAcceptedAt >= quietMs) return;
      await nextTurn();
    }
  }
}

/**
 * Stops accepting connections and resolves once every open one has ended, closing none itself:
 * `net.Server#close`, which `http.Server#close` extends with closing the idle ones (see above).
 */
export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => TcpServer.prototype.close.call(server, () => resolve()));
}
