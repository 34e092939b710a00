import type { Engine, OpenOptions } from '@lockstep/db';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
} from '@opentelemetry/semantic-conventions';
import type { OperationNode, RootOperationNode } from 'kysely';
import { INSTRUMENTATION_SCOPE } from './instruments.js';

/** `db.system.name` per engine, as the database conventions spell them. */
const SYSTEM_NAMES: Record<Engine, string> = { sqlite: 'sqlite', postgresql: 'postgresql' };

/** The statement kind of each of Kysely's root query nodes. */
const OPERATIONS: Partial<Record<RootOperationNode['kind'], string>> = {
  SelectQueryNode: 'SELECT',
  InsertQueryNode: 'INSERT',
  UpdateQueryNode: 'UPDATE',
  DeleteQueryNode: 'DELETE',
  MergeQueryNode: 'MERGE',
};

/** The first table a node names, read from Kysely's public operation-node tree. */
function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (node.kind === 'TableNode') {
    const { table } = node as unknown as { table: { identifier: { name: string } } };
    return table.identifier.name;
  }
  const { from, into, table, using } = node as unknown as {
    from?: { froms: readonly OperationNode[] };
    into?: OperationNode;
    table?: OperationNode;
    using?: OperationNode;
  };
  return tableOf(from?.froms[0]) ?? tableOf(into) ?? tableOf(table) ?? tableOf(using);
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
    const node = event.query.query;
    // A raw statement (a transaction's BEGIN, a lock) is named by its first keyword.
    const operation =
      OPERATIONS[node.kind as RootOperationNode['kind']] ??
      /^\s*([A-Za-z]+)/.exec(event.query.sql)?.[1]?.toUpperCase() ??
      'SQL';
    const table = tableOf(node);
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
