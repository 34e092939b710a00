/**
 * Where lockstep's CPU goes under load: runs the built server with `node --cpu-prof`, loads one
 * route with autocannon, and prints the functions with the most self time (grouped by function
 * and file; a dependency is named by its package).
 *
 *   pnpm build && pnpm --filter @lockstep/bench profile
 *   BENCH_PATH=/todos?limit=100 BENCH_SECONDS=15 BENCH_TOP=20 pnpm --filter @lockstep/bench profile
 *   BENCH_PATH=/transactions/:id pnpm --filter @lockstep/bench profile
 *   BENCH_METHOD=POST BENCH_PATH=/todos BENCH_BODY='{"userId":1,"title":"t"}' pnpm --filter @lockstep/bench profile
 *
 * `:id` in the path is the seeded key's transaction, and the request then carries that key.
 * BENCH_TELEMETRY=1 profiles the server as bench:http's (f) runs it: every request traced and
 * exported over OTLP/HTTP (protobuf) to a receiver on loopback, metrics every 5 s.
 * BENCH_PROFILE_OUT=file.cpuprofile keeps the profile, for Chrome DevTools' Performance panel.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver } from '@lockstep/server/otlp-receiver';
import { startServerProcess } from '@lockstep/server/process';
import autocannon from 'autocannon';
import { seededDatabase } from './fixtures.js';
import { cpuMicros } from './process-stats.js';
import { printTable } from './table.js';

const path = process.env.BENCH_PATH ?? '/todos/1';
const method = (process.env.BENCH_METHOD ?? 'GET') as 'GET' | 'POST' | 'PUT' | 'PATCH';
const body = process.env.BENCH_BODY;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const top = Number(process.env.BENCH_TOP ?? 10);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** `better-sqlite3` for node_modules/.pnpm/better-sqlite3@…/node_modules/better-sqlite3/lib/x.js. */
function whereFrom(url: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)(.*)$/.exec(url);
  if (dependency) return `${dependency[1]} (${dependency[2]})`;
  if (url.startsWith('node:')) return url;
  const ours = /\/(apps|packages)\/(.*)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url || '(native)';
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-profile-'));
  try {
    const { file, fixtures } = await seededDatabase(dir);
    const keyed = path.includes(':id');
    const url = path.replace(':id', String(fixtures.transactionId));
    const headers: Record<string, string> = {
      ...(keyed ? { authorization: `Bearer ${fixtures.apiKey}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    const receiver = process.env.BENCH_TELEMETRY === '1' ? await startOtlpReceiver({ keep: false }) : undefined;
    const telemetry: Record<string, string> = receiver
      ? {
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_TRACES_SAMPLER: 'always_on',
          OTEL_BSP_MAX_QUEUE_SIZE: '200000',
          OTEL_BSP_SCHEDULE_DELAY: '1000',
          OTEL_METRIC_EXPORT_INTERVAL: '5000',
        }
      : {};
    const server = await startServerProcess(
      `file:${file}`,
      { LOG_LEVEL: 'info', ...telemetry },
      { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
    );
    const load = { url: `${server.base}${url}`, method, headers, ...(body ? { body } : {}), connections: 50 };
    await autocannon({ ...load, duration: 2 });
    const pid = server.child.pid as number;
    const cpuBefore = cpuMicros(pid);
    const measured = await autocannon({ ...load, duration: seconds });
    const cpuPerRequest = (cpuMicros(pid) - cpuBefore) / measured.requests.total;
    await server.stop();
    await receiver?.close();
    const written = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
    if (!written) throw new Error('the server wrote no profile');
    if (process.env.BENCH_PROFILE_OUT) await copyFile(join(dir, written), process.env.BENCH_PROFILE_OUT);
    const profile = JSON.parse(await readFile(join(dir, written), 'utf8')) as Profile;
    const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const byPlace = new Map<string, number>();
    for (const node of profile.nodes) {
      const name = node.callFrame.functionName || '(anonymous)';
      const place = `${name}  ${whereFrom(node.callFrame.url)}`;
      byPlace.set(place, (byPlace.get(place) ?? 0) + (node.hitCount ?? 0));
    }
    const byPackage = new Map<string, number>();
    for (const [place, hits] of byPlace) {
      const owner = place.split('  ')[1]?.split(' (')[0] ?? '';
      const group =
        owner.startsWith('apps/') || owner.startsWith('packages/') ? owner.split('/').slice(0, 2).join('/') : owner;
      byPackage.set(group, (byPackage.get(group) ?? 0) + hits);
    }
    const rows = [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top);
    console.log(
      `\n${method} ${path}, 50 connections, ${seconds} s: ${measured.requests.total} requests, ` +
        `${cpuPerRequest.toFixed(0)} µs of server CPU each; self time of ${total} samples ` +
        "(µs/req: the share of each request's CPU, taking the samples as spread evenly over the run)\n",
    );
    const perRequest = (hits: number) => ((hits / total) * cpuPerRequest).toFixed(1);
    printTable(
      ['self %', 'µs/req', 'function and where'],
      rows.map(([place, hits]) => [`${((100 * hits) / total).toFixed(1)}`, perRequest(hits), place]),
    );
    console.log('');
    printTable(
      ['self %', 'µs/req', 'package (or node: module, or native)'],
      [...byPackage]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([group, hits]) => [`${((100 * hits) / total).toFixed(1)}`, perRequest(hits), group]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
