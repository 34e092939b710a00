/**
 * BASELINE, not part of the product: the least a Node server can do to answer `GET /todos/:id`
 * from the same SQLite file: Express, one prepared better-sqlite3 statement, `res.json`. No
 * validation, logging, auth, ETag or problem details. Benchmarks divide by its figures to show
 * what the rest of the stack costs.
 *
 *   DATABASE_FILE=/path/lockstep.db PORT=3001 node dist/bench/baselines/bare-express.js
 */
import Database from 'better-sqlite3';
import express from 'express';

const file = process.env.DATABASE_FILE;
if (!file) throw new Error('DATABASE_FILE is required');
const db = new Database(file, { readonly: true });
const findTodo = db.prepare<[number], { userId: number; id: number; title: string; completed: number }>(
  'SELECT userId, id, title, completed FROM todos WHERE id = ?',
);

const app = express();
app.get('/todos/:id', (req, res) => {
  const row = findTodo.get(Number(req.params.id));
  if (!row) {
    res.status(404).json({});
    return;
  }
  res.json({ userId: row.userId, id: row.id, title: row.title, completed: row.completed === 1 });
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = app.listen(Number(process.env.PORT ?? 3001), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => db.close()));
