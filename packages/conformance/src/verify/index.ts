/**
 * `verify`: checks a running deployment against the contract, with the scenarios and probes of
 * this folder, and answers a report. It cleans up after itself even when checks fail.
 */
import { contract, contractRoutes } from '@lockstep/contract';
import { NoAnswerError, send } from './http.js';
import { lifecycle } from './lifecycle.js';
import { anonymousProbes, invalidBodyProbes, methodProbes, missingParentProbes, unknownQueryProbes } from './probes.js';
import { readOnly as readOnlyScenario } from './read-only.js';
import type { CheckResult, Report } from './report.js';
import { labelOf, resourcesOf } from './resources.js';
import { Run } from './run.js';
import { type Keys, Session } from './session.js';

export interface VerifyOptions extends Keys {
  baseUrl: string;
  /** Seed of every generated value; the report prints it so a run can be repeated exactly. */
  seed?: number;
  /** Only safe requests (GET): nothing is created, changed or deleted. */
  readOnly?: boolean;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  /** Told of each phase as it starts, and of each check as it completes. */
  onPhase?: (phase: string) => void;
  onCheck?: (result: CheckResult) => void;
}

/** One clear error for a deployment that does not answer at all, rather than a failure per check. */
async function reachable(baseUrl: URL, timeoutMs: number): Promise<void> {
  const first = contractRoutes(contract).find(({ route }) => route.method === 'GET');
  try {
    await send(baseUrl, { method: 'GET', path: first?.route.path ?? '/', headers: {} }, timeoutMs);
  } catch (error) {
    if (error instanceof NoAnswerError) throw new Error(`cannot reach ${baseUrl.href}: ${error.message}`);
    throw error;
  }
}

export async function verify(options: VerifyOptions): Promise<Report> {
  const baseUrl = new URL(options.baseUrl);
  const readOnly = options.readOnly ?? false;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!readOnly && !options.otherKey) throw new Error('a read-write run needs --other-key (a key of another owner)');
  const timeoutMs = options.timeoutMs ?? 10_000;
  await reachable(baseUrl, timeoutMs);
  const session = new Session(baseUrl, options, seed, timeoutMs, options.onCheck);
  const resources = resourcesOf();
  const run = new Run(session, resources, baseUrl);
  const phase = options.onPhase ?? (() => {});
  try {
    for (const resource of resources) {
      phase(`${resource.name}: ${readOnly ? 'list and read' : 'create, replay, read, page, replace, update, delete'}`);
      if (readOnly) await readOnlyScenario(run, resource);
      else await lifecycle(run, resource);
    }
    phase('requests without a key');
    await anonymousProbes(run, readOnly);
    phase('unknown query parameters');
    await unknownQueryProbes(run, readOnly);
    if (!readOnly) {
      phase('invalid bodies');
      for (const resource of resources) await invalidBodyProbes(run, resource);
      phase('undeclared methods and missing parents');
      await methodProbes(run);
      await missingParentProbes(run);
    }
  } finally {
    if (!readOnly) {
      phase('clean-up');
      await session.cleanUp();
    }
  }
  // Reported in the contract's order, probes of undeclared methods after the routes.
  const order = contractRoutes(contract).map(labelOf);
  const rank = (route: string) => (order.includes(route) ? order.indexOf(route) : order.length);
  const results = [...session.results].sort((a, b) => rank(a.route) - rank(b.route));
  return { baseUrl: baseUrl.href, seed, readOnly, results, skipped: run.skipped };
}
