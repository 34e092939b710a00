/** What a verify run found: one result per check, grouped by route for the table and JUnit. */
import { contract, contractRoutes } from '@lockstep/contract';
import type { DeprecatedUse, Pacing, RouteCoverage } from './session.js';

export interface CheckResult {
  /** The contract route (`todos.create`), or the request for a probe outside the contract. */
  route: string;
  check: string;
  passed: boolean;
  expected?: string;
  actual?: string;
  /** A command that repeats the request the check looked at. */
  curl?: string;
}

export interface Report {
  baseUrl: string;
  /** The contract version this verify checks against. */
  contractVersion: string;
  seed: number;
  readOnly: boolean;
  /** The one route or probe the run was limited to (`--only`). */
  only?: string;
  results: CheckResult[];
  /** Every route and probe requested, with the statuses that came back. */
  coverage: RouteCoverage[];
  pacing: Pacing;
  /** What was left out and why (a missing optional key, no rows to read). */
  skipped: string[];
  /** Routes the deployment answered as deprecated while the run used them. */
  deprecated: DeprecatedUse[];
}

export const failuresOf = (report: Report) => report.results.filter((result) => !result.passed);

function byRoute(results: readonly CheckResult[]): Map<string, CheckResult[]> {
  const routes = new Map<string, CheckResult[]>();
  for (const result of results) routes.set(result.route, [...(routes.get(result.route) ?? []), result]);
  return routes;
}

const clip = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** `200×4 404×1`: the statuses a route answered, and how often. */
const statusesOf = (coverage: RouteCoverage | undefined) =>
  Object.entries(coverage?.statuses ?? {})
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');

/** The contract routes the run never requested (a replay of one route counts only that one). */
function unrequested(report: Report): string[] {
  const requested = new Set(report.coverage.map((entry) => entry.route));
  return contractRoutes(contract)
    .map(({ key }) => key.join('.'))
    .filter((route) => (report.only === undefined || report.only === route) && !requested.has(route));
}

/** The report as a person reads it: a table of routes, then each failure with how to repeat it. */
export function formatReport(report: Report): string {
  const coverage = new Map(report.coverage.map((entry) => [entry.route, entry]));
  const rows = [...byRoute(report.results)].map(([route, results]) => {
    const failed = results.filter((result) => !result.passed).length;
    return [route, String(results.length - failed), String(failed), statusesOf(coverage.get(route))];
  });
  const header = ['route', 'passed', 'failed', 'statuses'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === 3 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];

  const failures = failuresOf(report);
  if (failures.length > 0) lines.push('', `Failures (${failures.length}):`);
  for (const failure of failures) {
    lines.push('', `✗ ${failure.route}: ${failure.check}`);
    if (failure.expected !== undefined) lines.push(`  expected: ${clip(failure.expected)}`);
    if (failure.actual !== undefined) lines.push(`  actual:   ${clip(failure.actual)}`);
    if (failure.curl) lines.push(`  repeat:   ${failure.curl}`);
  }
  if (report.skipped.length > 0) lines.push('', 'Skipped:', ...report.skipped.map((reason) => `- ${reason}`));
  if (report.deprecated.length > 0) {
    lines.push('', `Deprecated routes this run still used (${report.deprecated.length}):`);
    for (const use of report.deprecated) {
      const sunset = use.sunset ? `, sunset ${use.sunset}` : '';
      lines.push(
        `- ${use.route} (${use.method} ${use.path}): ${use.requests} request(s)${sunset}${use.link ? `; ${use.link}` : ''}`,
      );
    }
  }
  const missing = unrequested(report);
  const routes = report.only === undefined ? contractRoutes(contract).length : 1;
  lines.push(
    '',
    `Coverage: ${routes - missing.length} of ${routes} contract routes requested` +
      `${missing.length > 0 ? ` (never: ${missing.join(', ')})` : ''}, ` +
      `${report.coverage.reduce((sum, entry) => sum + Object.keys(entry.statuses).length, 0)} route × status pairs seen.`,
  );
  if (report.pacing.waits > 0) {
    lines.push(
      `Paced: waited ${report.pacing.waits} time(s) on 429, ${(report.pacing.waitedMs / 1000).toFixed(1)} s in all.`,
    );
  }
  const total = report.results.length;
  const replay = report.only === undefined ? '' : ` --only '${report.only}'`;
  lines.push(
    `${total - failures.length} of ${total} checks passed against ${report.baseUrl}` +
      `${report.readOnly ? ' (read-only)' : ''}${report.only === undefined ? '' : `, only ${report.only}`}; ` +
      `seed ${report.seed} (repeat with --seed ${report.seed}${replay}).`,
  );
  return lines.join('\n');
}

/**
 * The coverage record (`--report FILE`): per route and probe, what was sent, the statuses that
 * came back, and each check with how often it passed and failed, for CI to keep and compare.
 */
export function coverageReport(report: Report): object {
  const coverage = new Map(report.coverage.map((entry) => [entry.route, entry]));
  const routes = [...byRoute(report.results)].map(([route, results]) => {
    const checks = new Map<string, { check: string; passed: number; failed: number }>();
    for (const result of results) {
      const entry = checks.get(result.check) ?? { check: result.check, passed: 0, failed: 0 };
      entry[result.passed ? 'passed' : 'failed'] += 1;
      checks.set(result.check, entry);
    }
    const requested = coverage.get(route);
    return {
      route,
      method: requested?.method ?? null,
      path: requested?.path ?? null,
      statuses: requested?.statuses ?? {},
      checks: [...checks.values()],
    };
  });
  const failed = failuresOf(report).length;
  return {
    baseUrl: report.baseUrl,
    contractVersion: report.contractVersion,
    seed: report.seed,
    readOnly: report.readOnly,
    only: report.only ?? null,
    summary: {
      checks: report.results.length,
      passed: report.results.length - failed,
      failed,
      routesRequested: report.coverage.length,
      routesNeverRequested: unrequested(report),
    },
    pacing: report.pacing,
    routes,
    skipped: report.skipped,
    deprecated: report.deprecated,
  };
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot carry at all.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: those are the characters removed
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML, which CI systems render: a test suite per route, a test case per check. */
export function junitReport(report: Report): string {
  const suites = [...byRoute(report.results)].map(([route, results]) => {
    const failed = results.filter((result) => !result.passed).length;
    const cases = results.map((result) => {
      const name = `<testcase classname="${xml(route)}" name="${xml(result.check)}"`;
      if (result.passed) return `    ${name}/>`;
      const message = `expected ${result.expected ?? '?'}; actual ${result.actual ?? '?'}`;
      const detail = [message, result.curl ?? ''].join('\n');
      return `    ${name}>\n      <failure message="${xml(clip(message, 1000))}">${xml(detail)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(route)}" tests="${results.length}" failures="${failed}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failed = failuresOf(report).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lockstep verify ${xml(report.baseUrl)}" tests="${report.results.length}" failures="${failed}">\n${suites.join('\n')}\n</testsuites>\n`;
}
