import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Reads a Prometheus `/metrics` page with the Prometheus project's own parser (the Python
 * client's `text_string_to_metric_families`, Debian's python3-prometheus-client), so a test
 * holds the page to the format as Prometheus reads it, not to a parser of ours.
 */

/** Debian's Python, where python3-prometheus-client installs the parser. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name, "type": family.type, "unit": family.unit,
        "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
    })
print(json.dumps(families))
`;

export interface MetricFamily {
  /** The family's name as the parser reports it (a counter's without `_total`). */
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'unknown' | string;
  unit: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** Whether the parser is installed here (CI installs it; elsewhere tests that need it say so and skip). */
export function prometheusParserInstalled(): boolean {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  return spawnSync(DEBIAN_PYTHON, ['-c', 'import prometheus_client.parser'], { stdio: 'ignore' }).status === 0;
}

/** Fetches `url` and parses it; fails on anything Prometheus's parser refuses. */
export async function scrapePrometheus(
  url: string,
): Promise<{ status: number; contentType: string; families: MetricFamily[] }> {
  const response = await fetch(url);
  const text = await response.text();
  const run = promisify(execFile)(DEBIAN_PYTHON, ['-c', PARSE], { maxBuffer: 64 * 1024 * 1024 });
  run.child.stdin?.end(text);
  const { stdout } = await run;
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    families: JSON.parse(stdout) as MetricFamily[],
  };
}
