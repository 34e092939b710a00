/**
 * BASELINE, not part of the product: the least a Node server can do to answer the benchmark's
 * scenarios from the same SQLite file: Express, prepared better-sqlite3 statements, `res.json`.
 * No validation, logging, auth, ETag or problem details; SQLite as lockstep opens it (WAL,
 * synchronous=FULL), so writes are as durable. Benchmarks divide by its figures to show what the
 * rest of the stack costs.
 *
 *   DATABASE_FILE=/path/lockstep.db PORT=3001 node dist/bench/baselines/bare-express.js
 */
import Database from 'better-sqlite3';
import express from 'express';

const file = process.env.DATABASE_FILE;
if (!file) throw new Error('DATABASE_FILE is required');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');

interface TodoRow {
  userId: number;
  id: number;
  title: string;
  completed: number;
}
const findTodo = db.prepare<[number], TodoRow>('SELECT userId, id, title, completed FROM todos WHERE id = ?');
const listTodos = db.prepare<[number], TodoRow>('SELECT userId, id, title, completed FROM todos ORDER BY id LIMIT ?');
const insertTodo = db.prepare<[number, string, number, string, string], TodoRow>(
  'INSERT INTO todos (userId, title, completed, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?) RETURNING userId, id, title, completed',
);
const renameTodo = db.prepare<[string, string, number], TodoRow>(
  'UPDATE todos SET title = ?, updatedAt = ? WHERE id = ? RETURNING userId, id, title, completed',
);
const findTransaction = db.prepare<
  [number],
  {
    id: number;
    amount: number;
    currency: string;
    description: string;
    occurredAt: string;
    createdAt: string;
    updatedAt: string;
  }
>('SELECT id, amount, currency, description, occurredAt, createdAt, updatedAt FROM transactions WHERE id = ?');

const todo = (row: TodoRow) => ({ userId: row.userId, id: row.id, title: row.title, completed: row.completed === 1 });

const app = express();
app.use(express.json());
app.get('/todos/:id', (req, res) => {
  const row = findTodo.get(Number(req.params.id));
  if (!row) {
    res.status(404).json({});
    return;
  }
  res.json(todo(row));
});
app.get('/todos', (req, res) => {
  res.json(listTodos.all(Number(req.query.limit ?? 100)).map(todo));
});
app.post('/todos', (req, res) => {
  const now = new Date().toISOString();
  const row = insertTodo.get(Number(req.body.userId), String(req.body.title), req.body.completed ? 1 : 0, now, now);
  res.status(201).json(todo(row as TodoRow));
});
app.patch('/todos/:id', (req, res) => {
  const row = renameTodo.get(String(req.body.title), new Date().toISOString(), Number(req.params.id));
  if (!row) {
    res.status(404).json({});
    return;
  }
  res.json(todo(row));
});
app.get('/transactions/:id', (req, res) => {
  const row = findTransaction.get(Number(req.params.id));
  if (!row) {
    res.status(404).json({});
    return;
  }
  res.json(row);
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = app.listen(Number(process.env.PORT ?? 3001), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => db.close()));
