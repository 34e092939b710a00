import { type ContractChange, compareContracts, inlineReferences } from './compatibility.js';
import { startOfDay } from './deprecation.js';
import { type ContractUsage, contractPathOf, isConformanceRun, usageRoute } from './usage.js';

/**
 * "Can I deploy?", answered from the contract and its consumers' traffic. Every breaking change
 * between the released document and the new one is weighed:
 * - `past-sunset`: it falls on a route or member deprecated with a sunset that has come; the
 *   consumers were told, so it may go;
 * - `unused`: the usage ledger shows no consumer called the route within the window;
 * - `used`: some consumer did: the report names each version, and the deploy is refused;
 * - `unchecked`: no ledger was given, so only the version rule can allow it (a new major, or a
 *   new minor while at 0.x; see `allowsBreakingChanges`).
 */

type Json = Record<string, unknown>;

export type GateVerdict = 'past-sunset' | 'unused' | 'used' | 'unchecked';

export interface ConsumerSighting {
  version: string;
  count: number;
  lastSeen: string;
}

export interface GatedChange extends ContractChange {
  /** The route it falls on (`GET /todos/:id`); undefined when it touches every route (the problem shape). */
  route: string | undefined;
  /** How a breaking change is weighed; undefined for a compatible one. */
  verdict: GateVerdict | undefined;
  /** The consumers that called the route within the window (every route, when `route` is undefined). */
  consumers: ConsumerSighting[];
  /** The sunset of the deprecation that covers it, if any (`YYYY-MM-DD`). */
  sunset: string | undefined;
}

export interface GateReport {
  /** Every difference, breaking and compatible; the breaking ones weighed. */
  changes: GatedChange[];
  /** Whether a usage ledger was read. */
  usageRead: boolean;
  /** The first day of the window the ledger was read for (`YYYY-MM-DD`), when one was. */
  windowStart: string | undefined;
  /** Every consumer version the ledger saw in the window, used routes or not. */
  consumersSeen: string[];
  /** Conformance runs (`lockstep verify`) the ledger saw: shown, never counted as consumers. */
  conformanceRuns: string[];
  /** Breaking changes some consumer still uses: the reason to refuse a deploy. */
  blocking: number;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const segmentsOf = (pointer: string): string[] =>
  pointer
    .replace(/^#\//, '')
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));

/** `#/paths/~1todos~1{id}/get/…` → `GET /todos/:id`; undefined for a pointer outside `paths`. */
export function routeOfPointer(pointer: string): string | undefined {
  const [root, path, method] = segmentsOf(pointer);
  return root === 'paths' && path && method ? usageRoute(method, contractPathOf(path)) : undefined;
}

/**
 * The sunset of the nearest deprecated node on the way to `pointer` in the (inlined) released
 * document: the member itself, an object holding it, or the operation.
 */
function sunsetOver(document: Json, pointer: string): string | undefined {
  let node: unknown = document;
  let sunset: string | undefined;
  for (const segment of segmentsOf(pointer)) {
    if (!isObject(node)) break;
    node = node[segment];
    if (isObject(node) && node.deprecated === true && typeof node['x-sunset'] === 'string') sunset = node['x-sunset'];
  }
  return sunset;
}

export interface GateOptions {
  /** The ledger read for the window, if one was. */
  usage?: ContractUsage;
  /** Now, for sunsets and the window. */
  now?: Date;
}

/** Compares the released document with the new one and weighs every breaking change. */
export function gateContractChange(released: Json, current: Json, options: GateOptions = {}): GateReport {
  const now = options.now ?? new Date();
  const { usage } = options;
  const inlined = inlineReferences(released);
  const consumers = (usage?.consumers ?? []).filter((consumer) => !isConformanceRun(consumer.version));
  const sightings = (route: string | undefined): ConsumerSighting[] =>
    consumers.flatMap((consumer) => {
      const used = consumer.routes.filter((entry) => route === undefined || entry.route === route);
      if (used.length === 0) return [];
      const lastSeen =
        used
          .map((entry) => entry.lastSeen)
          .sort()
          .at(-1) ?? consumer.lastSeen;
      return [{ version: consumer.version, count: used.reduce((sum, entry) => sum + entry.count, 0), lastSeen }];
    });
  const changes = compareContracts(released, current).map((change): GatedChange => {
    const route = routeOfPointer(change.path);
    if (change.kind === 'compatible') return { ...change, route, verdict: undefined, consumers: [], sunset: undefined };
    const sunset = sunsetOver(inlined, change.path);
    const sunsetStart = sunset ? startOfDay(sunset) : undefined;
    const consumers = sightings(route);
    const verdict: GateVerdict =
      sunsetStart && sunsetStart <= now
        ? 'past-sunset'
        : !usage
          ? 'unchecked'
          : consumers.length > 0
            ? 'used'
            : 'unused';
    return { ...change, route, verdict, consumers, sunset };
  });
  return {
    changes,
    usageRead: usage !== undefined,
    windowStart: usage?.since,
    consumersSeen: consumers.map((consumer) => consumer.version),
    conformanceRuns: (usage?.consumers ?? [])
      .map((consumer) => consumer.version)
      .filter((version) => isConformanceRun(version)),
    blocking: changes.filter((change) => change.kind === 'breaking' && change.verdict === 'used').length,
  };
}

const VERDICT_TEXT: Record<GateVerdict, string> = {
  'past-sunset': 'allowed: deprecated, sunset passed',
  unused: 'allowed: no consumer used it in the window',
  used: 'REFUSED: in use',
  unchecked: 'needs a version that allows breaking changes',
};

/** The report as lines for a terminal. */
export function formatGateReport(report: GateReport): string[] {
  const lines: string[] = [];
  for (const change of report.changes) {
    lines.push(`${change.kind.padEnd(10)} ${change.path}  ${change.message}`);
    if (!change.verdict) continue;
    const sunset = change.sunset ? ` (sunset ${change.sunset})` : '';
    lines.push(`           → ${VERDICT_TEXT[change.verdict]}${sunset}`);
    for (const consumer of change.consumers) {
      lines.push(
        `             consumer ${consumer.version}: ${consumer.count} request(s), last ${consumer.lastSeen}${change.route ? '' : ' (on any route)'}`,
      );
    }
  }
  if (report.usageRead) {
    const seen = report.consumersSeen.length > 0 ? report.consumersSeen.join(', ') : 'none';
    const runs =
      report.conformanceRuns.length > 0 ? ` (conformance runs, not counted: ${report.conformanceRuns.join(', ')})` : '';
    lines.push('', `Consumers seen since ${report.windowStart}: ${seen}.${runs}`);
  }
  return lines;
}
