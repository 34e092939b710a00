// The breaking-change gate (`pnpm contract:check`): compares openapi.json, as the build wrote it
// from the contract, with the highest released document in openapi/released/, prints every
// change with its JSON path, and weighs each breaking one (src/deploy-gate.ts):
//   - a change to a route or member deprecated with a sunset that has come is allowed;
//   - with --usage-from, a deployment's usage ledger decides the rest: a change to a route some
//     consumer called within the window fails the gate (exit 1) and names the consumer versions;
//     a change to routes nobody called passes (exit 0), with the report;
//   - without it, a breaking change needs the version bump that announces it (major; minor while
//     at 0.x), as before.
// Options:
//   --usage-from URL   a lockstep deployment (its base URL) whose GET /contract/usage to read
//   --key KEY          an API key with the admin scope (or LOCKSTEP_USAGE_KEY, kept off the command line)
//   --window 30d       how far back a use counts (default 30d)
//   --json             print the report as JSON (for CI) instead of text
//   --released FILE    compare with this document instead of the highest released one
//   --current FILE     compare this document instead of openapi.json
//   --release          record the current document as released under the package's version
// Exit: 0 allowed, 1 refused, 2 the gate could not run (bad arguments, ledger unreachable).
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  allowsBreakingChanges,
  CONTRACT_USAGE_PATH,
  ContractUsageSchema,
  formatGateReport,
  gateContractChange,
  sortVersions,
} from '../dist/index.js';

const current = new URL('../openapi.json', import.meta.url);
const releasedDir = new URL('../openapi/released/', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

class GateError extends Error {}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GateError(`Could not read ${file}: ${error.code ?? error.message}.`);
  }
}

/** The highest released document, and its version. */
function latestReleased() {
  const released = sortVersions(
    readdirSync(releasedDir)
      .filter((file) => /^\d+\.\d+\.\d+\.json$/.test(file))
      .map((file) => file.slice(0, -'.json'.length)),
  );
  const latest = released.at(-1);
  if (!latest)
    throw new GateError('No released contract in packages/contract/openapi/released/; record one with --release.');
  return { document: readJson(new URL(`${latest}.json`, releasedDir)), version: latest };
}

/** A document given with --released, and the version its `info` names. */
function documentIn(file) {
  const document = readJson(file);
  return { document, version: document.info?.version ?? file };
}

/** The deployment's ledger for the last `window` days, checked against the contract's own schema. */
async function readLedger(base, key, window) {
  const url = new URL(
    base.replace(/\/+$/, '').endsWith(CONTRACT_USAGE_PATH) ? base : `${base.replace(/\/+$/, '')}${CONTRACT_USAGE_PATH}`,
  );
  url.searchParams.set('since', window);
  let response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
  } catch (error) {
    throw new GateError(`Could not read the usage ledger at ${url}: ${error.cause?.code ?? error.message}.`);
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      detail = JSON.parse(text).detail ?? detail;
    } catch {}
    throw new GateError(`The usage ledger at ${url} answered ${response.status}: ${detail}`);
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GateError(`The usage ledger at ${url} did not answer JSON.`);
  }
  const parsed = ContractUsageSchema.safeParse(body);
  if (!parsed.success) throw new GateError(`The usage ledger at ${url} is not a usage report: ${parsed.error.message}`);
  return parsed.data;
}

async function main() {
  const { values } = parseArgs({
    options: {
      release: { type: 'boolean' },
      'usage-from': { type: 'string' },
      key: { type: 'string' },
      window: { type: 'string', default: '30d' },
      json: { type: 'boolean' },
      released: { type: 'string' },
      current: { type: 'string' },
    },
  });
  if (values.release) {
    copyFileSync(current, new URL(`${version}.json`, releasedDir));
    console.log(`Recorded openapi.json as released contract ${version} (openapi/released/${version}.json).`);
    return 0;
  }
  if (!/^\d{1,4}d$/.test(values.window))
    throw new GateError(`--window takes a number of days, e.g. 30d (got ${values.window}).`);
  const key = values.key ?? process.env.LOCKSTEP_USAGE_KEY;
  if (values['usage-from'] && !key)
    throw new GateError('--usage-from needs an admin API key: --key KEY or LOCKSTEP_USAGE_KEY.');

  const released = values.released ? documentIn(values.released) : latestReleased();
  const currentDocument = readJson(values.current ?? current);
  const currentVersion = currentDocument.info?.version ?? version;
  const usage = values['usage-from'] ? await readLedger(values['usage-from'], key, values.window) : undefined;
  const report = gateContractChange(released.document, currentDocument, { usage });

  const breaking = report.changes.filter((change) => change.kind === 'breaking');
  const unchecked = breaking.filter((change) => change.verdict === 'unchecked');
  const bumped = allowsBreakingChanges(released.version, currentVersion);
  const refused = report.blocking > 0 || (unchecked.length > 0 && !bumped);
  const summary = `${report.changes.length} change(s) since released contract ${released.version}: ${breaking.length} breaking, ${report.changes.length - breaking.length} compatible; the contract is at ${currentVersion}.`;

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          released: released.version,
          current: currentVersion,
          window: usage ? values.window : null,
          allowed: !refused,
          ...report,
        },
        null,
        2,
      ),
    );
  } else {
    for (const line of formatGateReport(report)) console.log(line);
    console.log(`\n${summary}`);
    if (report.blocking > 0) {
      console.error(
        `${report.blocking} breaking change(s) fall on routes consumers used in the last ${values.window}: refused.`,
      );
    } else if (unchecked.length > 0 && !bumped) {
      const [major, minor] = released.version.split('.').map(Number);
      const next = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
      console.error(
        `Breaking changes need a new ${major === 0 ? 'minor' : 'major'} version: set packages/contract/package.json to ${next} (or undo them), or let a deployment's usage show nobody depends on them (--usage-from).`,
      );
    }
  }
  return refused ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (!(error instanceof GateError || String(error.code).startsWith('ERR_PARSE_ARGS'))) throw error;
    console.error(error.message);
    process.exit(2);
  },
);
