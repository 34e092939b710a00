/**
 * `verify`: checks a running deployment against the contract, with the scenarios and probes of
 * this folder, and answers a report. It cleans up after itself even when checks fail.
 */
import { CONTRACT_VERSION, contract, contractPaths, contractRoutes, feedList } from '@lockstep/contract';
import { followFeeds } from './feeds.js';
import { NoAnswerError, send } from './http.js';
import { lifecycle } from './lifecycle.js';
import { defaultPages } from './lists.js';
import { anonymousProbes, invalidBodyProbes, methodProbes, missingParentProbes, unknownQueryProbes } from './probes.js';
import { readOnly as readOnlyScenario } from './read-only.js';
import type { CheckResult, Report } from './report.js';
import { labelOf, type Resource, resourcesOf } from './resources.js';
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
  /** The longest a 429's Retry-After makes the run wait, in milliseconds (default 60 s). */
  longestWaitMs?: number;
  /**
   * Replay one case: check only this route (`todos.update`) or probe (`POST /todos/:id`), with
   * what it needs around it. With the seed of an earlier run, it is sent the same values.
   */
  only?: string;
  /** Told of each phase as it starts, of each check as it completes, and of each wait on a 429. */
  onPhase?: (phase: string) => void;
  onCheck?: (result: CheckResult) => void;
  onWait?: (ms: number, route: string) => void;
}

/** Everything `--only` accepts: each route and feed of the contract, and each probe of an undeclared method. */
export function replayableCases(): string[] {
  const probes = contractPaths(contract).flatMap(({ path, methods }) => {
    const probe = ['DELETE', 'PUT', 'PATCH', 'POST'].find((method) => !methods.includes(method));
    return probe ? [`${probe} ${path}`] : [];
  });
  const feeds = feedList().map((feed) => `${feed.resource}.changes`);
  return [...contractRoutes(contract).map(labelOf), ...feeds, ...probes];
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
  const { only } = options;
  if (only !== undefined && !replayableCases().includes(only)) {
    throw new Error(
      `--only ${only} is not a route of the contract nor a probe; one of: ${replayableCases().join(', ')}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  await reachable(baseUrl, timeoutMs);
  const session = new Session(baseUrl, options, seed, {
    timeoutMs,
    longestWaitMs: options.longestWaitMs ?? 60_000,
    onCheck: options.onCheck,
    onWait: options.onWait,
  });
  const resources = resourcesOf();
  const run = new Run(session, resources, baseUrl, only);
  const phase = options.onPhase ?? (() => {});
  // A replay runs the scenario of its route's resource only (its key's first part).
  const scenarioOf = (resource: Resource) => only === undefined || only.split('.')[0] === resource.name;
  try {
    for (const resource of resources.filter(scenarioOf)) {
      phase(`${resource.name}: ${readOnly ? 'list and read' : 'create, replay, read, page, replace, update, delete'}`);
      if (readOnly) await readOnlyScenario(run, resource);
      else await lifecycle(run, resource);
    }
    if (!readOnly) {
      phase('change feeds: a change arrives typed, a resume brings the next, another owner sees nothing');
      await followFeeds(run);
    }
    phase('every list, its default page');
    for (const resource of resources) await defaultPages(run, resource, readOnly ? 'existing' : 'fixture');
    phase('requests without a key');
    await anonymousProbes(run, readOnly);
    phase('unknown query parameters');
    await unknownQueryProbes(run, readOnly);
    if (!readOnly) {
      phase('invalid bodies');
      for (const resource of resources.filter(scenarioOf)) await invalidBodyProbes(run, resource);
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
  const results = session.results
    .filter((result) => run.wants(result.route))
    .sort((a, b) => rank(a.route) - rank(b.route));
  const coverage = [...session.coverage.values()]
    .filter((entry) => run.wants(entry.route))
    .sort((a, b) => rank(a.route) - rank(b.route));
  return {
    baseUrl: baseUrl.href,
    contractVersion: CONTRACT_VERSION,
    seed,
    readOnly,
    ...(only !== undefined ? { only } : {}),
    results,
    coverage,
    pacing: { ...session.pacing },
    skipped: run.skipped,
    deprecated: [...session.deprecated.values()].filter((use) => run.wants(use.route)),
  };
}
