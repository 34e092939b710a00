import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Servers as separate processes, for tests (kill -9, several instances) and the benchmarks
 * (`@lockstep/server/process`): the built server, or any Node script that serves `/readyz`.
 */

// The built server, whether this module runs from src/ (tests) or dist/ (benchmarks).
const mainScript = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Every port `freePort` has answered in this process. */
const handedOut = new Set<number>();

/** A port free right now on loopback, and never answered before in this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    // The kernel may offer a port again before whoever took it has bound it (a server's
    // METRICS_PORT, then its PORT): a port is handed out once per process.
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where its output goes; its errors always reach the caller's stderr. */
  stdio?: 'inherit' | 'ignore' | 'pipe';
  /** A port of the caller's choosing (to restart on the same one); a free one otherwise. */
  port?: number;
  /** Arguments after the script; `{port}` in one is replaced by the port. */
  args?: string[];
  /** The path that answers 200 once the server is ready. Default `/readyz`. */
  readyPath?: string;
  /** Options for Node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

/** Starts a Node script on a port and waits until its `/readyz` answers 200. */
export async function startScript(
  script: string,
  env: Record<string, string>,
  { stdio = 'inherit', port: chosen, args = [], readyPath = '/readyz', nodeArgs = [] }: StartOptions = {},
): Promise<ServerProcess> {
  const port = chosen ?? (await freePort());
  const child = spawn(
    process.execPath,
    [...nodeArgs, script, ...args.map((arg) => arg.replace('{port}', String(port)))],
    {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', stdio, 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  for (let attempt = 0; attempt < 800; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const ready = await fetch(`${base}${readyPath}`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { child, base, stop };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await stop();
  throw new Error(`${script} did not become ready`);
}

/**
 * The built lockstep server as a separate process. `LOG_LEVEL` defaults to `warn` (no line per
 * request) unless the caller sets it, e.g. to `info` to measure the server as `pnpm start` runs it.
 */
export function startServerProcess(
  url: string,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<ServerProcess> {
  return startScript(
    mainScript,
    { DATABASE_URL: url, LOG_LEVEL: 'warn', ...env },
    { stdio: env.LOG_LEVEL ? 'ignore' : 'inherit', ...options },
  );
}
