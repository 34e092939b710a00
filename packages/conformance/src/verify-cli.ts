#!/usr/bin/env node
// `lockstep-verify` (`pnpm verify` from the repository root): checks a deployment against the contract.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CONTRACT_VERSION } from '@lockstep/contract';
import { replayableCases, verify } from './verify/index.js';
import { coverageReport, failuresOf, formatReport, junitReport } from './verify/report.js';

const USAGE = `Usage: lockstep-verify --base-url URL --key KEY --other-key KEY [options]

Checks a running lockstep deployment against contract ${CONTRACT_VERSION}: every route, with
generated inputs, stateful scenarios, refusals and the headers clients rely on.

  --base-url URL     the deployment, e.g. https://staging.example.com
  --key KEY          a read-write API key (env LOCKSTEP_KEY)
  --other-key KEY    a read-write key of another owner (env LOCKSTEP_OTHER_KEY); optional with --read-only
  --read-key KEY     a read-only key, to check that it cannot write (env LOCKSTEP_READ_KEY)
  --read-only        send safe requests only (GET): nothing is created, changed or deleted
  --seed N           repeat the generated inputs of an earlier run
  --only ROUTE       replay one case: check only this route (todos.update) or probe
                     (POST /todos/:id), with the --seed of the run that failed
  --junit FILE       also write the results as JUnit XML
  --report FILE      also write the coverage record as JSON: every route with the statuses
                     it answered and each check with how often it passed and failed
  --timeout MS       per request (default 10000)
  --longest-wait MS  the longest a 429's Retry-After may make the run wait (default 60000)
  --help

Exit status: 0 when every check held, 1 when one failed, 2 when the command line is wrong.`;

function fail(message: string): never {
  console.error(`lockstep-verify: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      options: {
        'base-url': { type: 'string' },
        key: { type: 'string' },
        'other-key': { type: 'string' },
        'read-key': { type: 'string' },
        'read-only': { type: 'boolean', default: false },
        seed: { type: 'string' },
        only: { type: 'string' },
        junit: { type: 'string' },
        report: { type: 'string' },
        timeout: { type: 'string' },
        'longest-wait': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
}

const given = options();
if (given.help) {
  console.log(USAGE);
  process.exit(0);
}
const baseUrl = given['base-url'] ?? fail('--base-url is required');
if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol))
  fail(`--base-url ${baseUrl} is not an http(s) URL`);
const key = given.key ?? process.env.LOCKSTEP_KEY ?? fail('--key (or LOCKSTEP_KEY) is required');
const otherKey = given['other-key'] ?? process.env.LOCKSTEP_OTHER_KEY;
const readKey = given['read-key'] ?? process.env.LOCKSTEP_READ_KEY;
if (!given['read-only'] && !otherKey) fail('--other-key (or LOCKSTEP_OTHER_KEY) is required unless --read-only');
const integer = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, not ${text}`);
  return Number(text);
};
const seed = integer('seed', given.seed);
const timeoutMs = integer('timeout', given.timeout);
const longestWaitMs = integer('longest-wait', given['longest-wait']);
const only = given.only;
if (only !== undefined && !replayableCases().includes(only))
  fail(`--only ${only} is not a route of the contract nor a probe; one of: ${replayableCases().join(', ')}`);

let checks = 0;
let failed = 0;
const started = Date.now();
const report = await verify({
  baseUrl,
  key,
  otherKey,
  readKey,
  seed,
  timeoutMs,
  longestWaitMs,
  only,
  readOnly: given['read-only'],
  onPhase: (phase) => console.error(`… ${phase} (${checks} checks so far, ${failed} failed)`),
  onWait: (ms, route) => console.error(`… ${route}: 429, waiting ${(ms / 1000).toFixed(1)} s as Retry-After says`),
  onCheck: (result) => {
    checks += 1;
    if (!result.passed) failed += 1;
  },
}).catch((error: Error) => {
  console.error(`lockstep-verify: ${error.message}`);
  process.exit(1);
});
console.log(formatReport(report));
console.error(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (given.junit) await writeFile(given.junit, junitReport(report));
if (given.report) await writeFile(given.report, `${JSON.stringify(coverageReport(report), null, 2)}\n`);
process.exitCode = failuresOf(report).length === 0 ? 0 : 1;
