import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { FeedStreams, MAX_UNSENT_BYTES } from './feed-streams.js';

const settings = { heartbeatMs: 60_000, retentionMs: 60_000, maxStreamsPerKey: 5, maxStreamsPerAddress: 5 };

describe('FeedStreams', () => {
  it('cuts a stream whose client stops reading, instead of holding what it cannot send', async () => {
    const streams = new FeedStreams(settings);
    const app = express();
    let written = 0;
    const cut = new Promise<number>((resolve) => {
      app.get('/stream', (req, res) => {
        const stream = streams.open(res, undefined, req.ip ?? '');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.once('close', () => resolve(written));
        const frame = `data: ${'x'.repeat(64 * 1024)}\n\n`;
        const flood = setInterval(() => {
          if (res.destroyed) return clearInterval(flood);
          for (let n = 0; n < 16; n += 1) {
            streams.write(stream, frame);
            written += frame.length;
          }
        }, 1);
      });
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    // A client that sends its request and then never reads a byte.
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
      socket.pause();
    });
    const bytes = await cut;
    socket.destroy();
    server.close();
    expect(streams.size).toBe(0);
    // What was written before the cut: the kernel's socket buffers and at most the cap on top.
    expect(bytes).toBeGreaterThan(MAX_UNSENT_BYTES);
    expect(bytes).toBeLessThan(64 * 1024 * 1024);
  });
});
