// Writes openapi.json from the built contract (dist/), with examples from the seed data, so the
// document ships with the package and is committed beside the contract it describes. A test
// fails when the committed document differs from what the contract generates.
import { readFileSync, writeFileSync } from 'node:fs';
import { openApiDocument } from '../dist/index.js';

const seed = JSON.parse(readFileSync(new URL('../../db/fixtures/jsonplaceholder/db.json', import.meta.url), 'utf8'));
const examples = { todos: seed.todos[0], users: seed.users[0] };

const target = new URL('../openapi.json', import.meta.url);
const text = `${JSON.stringify(openApiDocument(examples), null, 2)}\n`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {}
if (current !== text) writeFileSync(target, text);
