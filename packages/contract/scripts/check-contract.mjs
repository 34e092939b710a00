// The breaking-change gate (`pnpm contract:check`): compares openapi.json, as the build wrote it
// from the contract, with the highest released document in openapi/released/, prints every
// change with its JSON path, and fails when a breaking one comes without the version bump that
// announces it (major; minor while at 0.x).
//   --release   record the current document as released under the package's version
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { allowsBreakingChanges, compareContracts, sortVersions } from '../dist/index.js';

const current = new URL('../openapi.json', import.meta.url);
const releasedDir = new URL('../openapi/released/', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

if (process.argv.includes('--release')) {
  copyFileSync(current, new URL(`${version}.json`, releasedDir));
  console.log(`Recorded openapi.json as released contract ${version} (openapi/released/${version}.json).`);
  process.exit(0);
}

const released = sortVersions(
  readdirSync(releasedDir)
    .filter((file) => /^\d+\.\d+\.\d+\.json$/.test(file))
    .map((file) => file.slice(0, -'.json'.length)),
);
const latest = released.at(-1);
if (!latest) {
  console.error('No released contract in packages/contract/openapi/released/; record one with --release.');
  process.exit(1);
}
const changes = compareContracts(
  JSON.parse(readFileSync(new URL(`${latest}.json`, releasedDir), 'utf8')),
  JSON.parse(readFileSync(current, 'utf8')),
);
const breaking = changes.filter((change) => change.kind === 'breaking');
for (const change of changes) console.log(`${change.kind.padEnd(10)} ${change.path}  ${change.message}`);
console.log(
  `\n${changes.length} change(s) since released contract ${latest}: ${breaking.length} breaking, ${changes.length - breaking.length} compatible; @lockstep/contract is at ${version}.`,
);
if (breaking.length > 0 && !allowsBreakingChanges(latest, version)) {
  const [major, minor] = latest.split('.').map(Number);
  const next = major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  console.error(
    `Breaking changes need a new ${major === 0 ? 'minor' : 'major'} version: set packages/contract/package.json to ${next} (or undo them).`,
  );
  process.exit(1);
}
