// Writes src/version.ts from package.json so the contract version ships as a plain constant
// (no JSON import or fs read at run time, which a browser bundle of the client could not do).
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const target = new URL('../src/version.ts', import.meta.url);
const text = `// Generated from package.json by scripts/write-version.mjs; do not edit.\nexport const CONTRACT_VERSION = '${version}';\n`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {}
if (current !== text) writeFileSync(target, text);
