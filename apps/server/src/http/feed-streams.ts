import type { Response } from 'express';
import type { FeedSettings } from '../config.js';
import { ApiError } from '../core/api-error.js';

/**
 * The open Server-Sent Events streams of this instance, and the rules they all follow:
 * - at most `maxStreamsPerKey` at once per API key owner and `maxStreamsPerAddress` per client
 *   address (429 beyond, with the RateLimit fields and Retry-After);
 * - a comment line on each at least every `heartbeatMs`, from one timer for all, so proxies and
 *   clients see a silent stream is alive (tRPC's streams send its own pings, at the same period);
 * - a stream whose client stops reading is cut once `MAX_UNSENT_BYTES` wait to be sent, so a
 *   stalled consumer never grows the server's memory;
 * - at shutdown every stream is told when to come back (`retry:`) and ended.
 */

/** Bytes a stream may have waiting to be sent before its consumer counts as stalled. */
export const MAX_UNSENT_BYTES = 256 * 1024;

/** What a stream's client is told to wait before reconnecting (SSE `retry:`, in ms). */
export const RECONNECT_MS = 1_000;

/** The Retry-After of a refused stream: streams are long, so a slot frees at a human pace. */
const RETRY_REFUSED_STREAM_SECONDS = 5;

interface Stream {
  res: Response;
  holders: string[];
  /** Writes of this tick are being gathered into one (see `write`). */
  corked: boolean;
  /** Ends a stream whose events another library writes (tRPC's); ours are ended by `closeAll` itself. */
  stop: (() => void) | undefined;
}

export class FeedStreams {
  private readonly streams = new Set<Stream>();
  private readonly counts = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly settings: FeedSettings) {
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) if (!stream.stop) this.write(stream, ':\n\n');
    }, settings.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes a slot for a new stream of `owner` (when authenticated) from `address`, or throws the
   * 429 (or the 503 of a server shutting down). Answers the stream's handle once its headers
   * may be sent.
   */
  open(res: Response, owner: string | undefined, address: string, stop?: () => void): Stream {
    if (this.closing) {
      throw new ApiError(503, { detail: 'The server is shutting down; reconnect.', headers: { 'Retry-After': '1' } });
    }
    const holders = [`address:${address}`, ...(owner !== undefined ? [`key:${owner}`] : [])];
    for (const holder of holders) {
      const limit = holder.startsWith('key:') ? this.settings.maxStreamsPerKey : this.settings.maxStreamsPerAddress;
      const open = this.counts.get(holder) ?? 0;
      if (open >= limit)
        throw tooManyStreams(holder.startsWith('key:') ? 'streams-per-key' : 'streams-per-address', limit);
    }
    for (const holder of holders) this.counts.set(holder, (this.counts.get(holder) ?? 0) + 1);
    const stream = { res, holders, corked: false, stop };
    this.streams.add(stream);
    res.once('close', () => this.release(stream));
    return stream;
  }

  /**
   * Writes to a stream; a consumer that has stopped reading is cut instead. The writes of one
   * tick (the changes of one read of the log) leave together, corked into one chunk and one
   * system call per stream rather than one per change.
   */
  write(stream: Stream, text: string): void {
    const { res } = stream;
    if (res.destroyed || res.writableEnded) return;
    if (!stream.corked) {
      stream.corked = true;
      res.cork();
      process.nextTick(() => {
        stream.corked = false;
        res.uncork();
        if (res.writableLength > MAX_UNSENT_BYTES) res.destroy();
      });
    }
    res.write(text);
  }

  private release(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    for (const holder of stream.holders) {
      const open = (this.counts.get(holder) ?? 1) - 1;
      if (open > 0) this.counts.set(holder, open);
      else this.counts.delete(holder);
    }
  }

  /** Shutdown: every stream is told to come back in `RECONNECT_MS` (to another instance), then ended. */
  closeAll(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const stream of this.streams) {
      if (stream.stop) {
        stream.stop();
        continue;
      }
      this.write(stream, `retry: ${RECONNECT_MS}\n\n`);
      stream.res.end();
      // The connection goes too: an idle keep-alive socket would hold the shutdown up.
      stream.res.socket?.end();
    }
  }
}

/** The RateLimit fields (draft-ietf-httpapi-ratelimit-headers) of a concurrency limit: `q` streams, none left. */
function tooManyStreams(policy: string, limit: number): ApiError {
  return new ApiError(429, {
    detail: `Too many open change feeds (${limit} at once ${policy === 'streams-per-key' ? 'per API key' : 'per address'}); close one first.`,
    headers: {
      'RateLimit-Policy': `"${policy}";q=${limit}`,
      RateLimit: `"${policy}";r=0;t=${RETRY_REFUSED_STREAM_SECONDS}`,
      'Retry-After': String(RETRY_REFUSED_STREAM_SECONDS),
    },
  });
}
