import type { IncomingMessage } from 'node:http';
import type { DataAccess, Engine } from '@lockstep/db';
import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
  type KyselyPlugin,
  type LogEvent,
  MergeQueryNode,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  SelectQueryNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import { contextOf } from '../http/request-context.js';
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
 * Marks each query of a tagged data access with the span it belongs under, by its query id:
 * Kysely hands a plugin that id before the query runs and its log the same id after.
 */
class ParentOfQueries implements KyselyPlugin {
  constructor(
    private readonly parents: WeakMap<QueryId, Span>,
    private readonly parent: Span,
  ) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.parents.set(queryId, this.parent);
    return node;
  }

  transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(result);
  }
}

/**
 * A child span per query of a traced request or procedure: kind and table (`SELECT todos`),
 * never the statement's values or text.
 *
 * The parent is passed, not looked up in an async context (which would cost every promise of
 * the process a hook): `under(db, span)` is `db` with its queries tagged with `span`, and
 * `onQuery`, Kysely's query log, told once a query has run or failed with its duration, makes
 * the span under it, back-dated by that duration. Queries on an untagged data access (the change
 * hub's polling, sweeps) make none: a trace begins at a request. Nor do the statements Kysely
 * sends itself (a transaction's BEGIN and COMMIT): they carry no query of ours.
 */
export class QuerySpans {
  private readonly tracer = trace.getTracer(INSTRUMENTATION_SCOPE);
  private readonly parents = new WeakMap<QueryId, Span>();

  constructor(private readonly engine: Engine) {}

  /** `db`, each of its queries (its transactions' included) a child span of `parent`. */
  under(db: DataAccess, parent: Span): DataAccess {
    return db.withPlugin(new ParentOfQueries(this.parents, parent));
  }

  /** For `openDatabase`'s `onQuery`. */
  readonly onQuery = (event: LogEvent): void => {
    const parent = this.parents.get(event.query.queryId);
    if (!parent?.isRecording()) return;
    const { operation: kind, table } = statementOf(event.query.query);
    // A raw statement (a lock, `SELECT 1`) is named by its first keyword.
    const operation = kind ?? /^\s*([A-Za-z]+)/.exec(event.query.sql)?.[1]?.toUpperCase() ?? 'SQL';
    const summary = table ? `${operation} ${table}` : operation;
    const attributes: Attributes = {
      [ATTR_DB_SYSTEM_NAME]: SYSTEM_NAMES[this.engine],
      [ATTR_DB_OPERATION_NAME]: operation,
      [ATTR_DB_QUERY_SUMMARY]: summary,
    };
    if (table) attributes[ATTR_DB_COLLECTION_NAME] = table;
    const ended = performance.timeOrigin + performance.now();
    const span = this.tracer.startSpan(
      summary,
      { kind: SpanKind.CLIENT, startTime: ended - event.queryDurationMillis, attributes },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    if (event.level === 'error') {
      const code = (event.error as { code?: unknown }).code;
      span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : 'error');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(ended);
  };
}

/**
 * Where a request's queries run: `db`, or, when the request is traced, `db` with each query a
 * child of the request's span, or of `parent` when given (a tRPC procedure's span).
 */
export type RequestData = (req: IncomingMessage, parent?: Span) => DataAccess;

/** The `RequestData` of a server: `db` itself while tracing is off (`spans` undefined). */
export function requestData(db: DataAccess, spans: QuerySpans | undefined): RequestData {
  if (!spans) return () => db;
  return function requestData(req, parent) {
    // A span the sampler left out records nothing: its queries need no tag.
    if (parent) return parent.isRecording() ? spans.under(db, parent) : db;
    const context = contextOf(req);
    if (!context.span?.isRecording()) return db;
    context.data ??= spans.under(db, context.span);
    return context.data;
  };
}
