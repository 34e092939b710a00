import type { Engine, OpenOptions } from '@lockstep/db';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  MergeQueryNode,
  type OperationNode,
  SelectQueryNode,
  TableNode,
  UpdateQueryNode,
} from 'kysely';
import { INSTRUMENTATION_SCOPE } from './instruments.js';

/** `db.system.name` per engine, as the database conventions spell them. */
const SYSTEM_NAMES: Record<Engine, string> = { sqlite: 'sqlite', postgresql: 'postgresql' };

/** The statement kind and first table of a query, read with Kysely's public node guards; a raw statement has neither. */
function statementOf(node: OperationNode): { operation?: string; table?: string } {
  if (SelectQueryNode.is(node)) return { operation: 'SELECT', table: tableOf(node.from?.froms[0]) };
  if (InsertQueryNode.is(node)) return { operation: 'INSERT', table: tableOf(node.into) };
  if (UpdateQueryNode.is(node)) return { operation: 'UPDATE', table: tableOf(node.table) };
  if (DeleteQueryNode.is(node)) return { operation: 'DELETE', table: tableOf(node.from.froms[0]) };
  if (MergeQueryNode.is(node)) return { operation: 'MERGE', table: tableOf(node.into) };
  return {};
}

/** The table a FROM, INTO or UPDATE target names, through an alias. */
function tableOf(node: OperationNode | undefined): string | undefined {
  if (node && AliasNode.is(node)) return tableOf(node.node);
  return node && TableNode.is(node) ? node.table.identifier.name : undefined;
}

/**
 * A child span per query of a traced request, built from Kysely's query log: kind and table
 * (`SELECT todos`), never the statement's values or text. The log is told once the query has run
 * or failed, with its duration, in the caller's async context, so the span is placed under the
 * caller's active span, back-dated by that duration. Queries outside a recorded span (the change
 * hub's polling, sweeps) make none: a trace begins at a request.
 */
export function querySpans(engine: Engine): NonNullable<OpenOptions['onQuery']> {
  const tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  return function traceQuery(event) {
    if (!trace.getActiveSpan()?.isRecording()) return;
    const { operation: kind, table } = statementOf(event.query.query);
    // A raw statement (a transaction's BEGIN, a lock) is named by its first keyword.
    const operation = kind ?? /^\s*([A-Za-z]+)/.exec(event.query.sql)?.[1]?.toUpperCase() ?? 'SQL';
    const summary = table ? `${operation} ${table}` : operation;
    const ended = performance.timeOrigin + performance.now();
    const span = tracer.startSpan(summary, {
      kind: SpanKind.CLIENT,
      startTime: ended - event.queryDurationMillis,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: SYSTEM_NAMES[engine],
        [ATTR_DB_OPERATION_NAME]: operation,
        [ATTR_DB_QUERY_SUMMARY]: summary,
        ...(table ? { [ATTR_DB_COLLECTION_NAME]: table } : {}),
      },
    });
    if (event.level === 'error') {
      const code = (event.error as { code?: unknown }).code;
      span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'error');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(ended);
  };
}
