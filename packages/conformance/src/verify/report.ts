/** What a verify run found: one result per check, grouped by route for the table and JUnit. */

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
  seed: number;
  readOnly: boolean;
  results: CheckResult[];
  /** What was left out and why (a missing optional key, no rows to read). */
  skipped: string[];
}

export const failuresOf = (report: Report) => report.results.filter((result) => !result.passed);

function byRoute(results: readonly CheckResult[]): Map<string, CheckResult[]> {
  const routes = new Map<string, CheckResult[]>();
  for (const result of results) routes.set(result.route, [...(routes.get(result.route) ?? []), result]);
  return routes;
}

const clip = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** The report as a person reads it: a table of routes, then each failure with how to repeat it. */
export function formatReport(report: Report): string {
  const rows = [...byRoute(report.results)].map(([route, results]) => {
    const failed = results.filter((result) => !result.passed).length;
    return [route, String(results.length - failed), String(failed)];
  });
  const header = ['route', 'passed', 'failed'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
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
  const total = report.results.length;
  lines.push(
    '',
    `${total - failures.length} of ${total} checks passed against ${report.baseUrl}` +
      `${report.readOnly ? ' (read-only)' : ''}; seed ${report.seed} (repeat with --seed ${report.seed}).`,
  );
  return lines.join('\n');
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
