/**
 * The breaking-change gate: compares two OpenAPI documents of this contract and classifies every
 * difference a client could notice. Breaking: a route, a response status, a response field or an
 * enum member removed; a type changed; an input narrowed (shorter, smaller, fewer values); a new
 * required input, or an optional input made required. Everything else that differs is an addition
 * and compatible. Written for the documents `openApiDocument` produces: local `$ref`s (named
 * schemas, shared responses and headers) are followed, so a change is reported where a client
 * meets it, on each route, whether or not the schema moved into `components`.
 */

type Json = Record<string, unknown>;

export interface ContractChange {
  kind: 'breaking' | 'compatible';
  /** JSON Pointer (RFC 6901) into the older document, or the newer one for additions. */
  path: string;
  message: string;
}

const pointer = (segments: string[]) =>
  `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const typesOf = (schema: Json): string[] => {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]).slice().sort() : typeof type === 'string' ? [type] : [];
};

/**
 * The document with every local `$ref` (`#/components/…`) replaced by what it points to. The
 * contract's schemas are not recursive; a cycle would be left as its `$ref`.
 */
export function inlineReferences(document: Json): Json {
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (isObject(node) ? node[segment] : undefined), document);
  const inline = (node: unknown, seen: string[]): unknown => {
    if (Array.isArray(node)) return node.map((entry) => inline(entry, seen));
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/') && !seen.includes(ref)) {
      const { $ref: _ref, ...siblings } = node;
      const target = resolve(ref);
      if (isObject(target)) return { ...(inline(target, [...seen, ref]) as Json), ...siblings };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value, seen)]));
  };
  return inline(document, []) as Json;
}

type Direction = 'request' | 'response';

/** Numeric bounds a request may no longer meet once they tighten. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems'];

function compareSchemas(before: Json, after: Json, at: string[], direction: Direction, out: ContractChange[]): void {
  const add = (kind: ContractChange['kind'], message: string, where = at) =>
    out.push({ kind, path: pointer(where), message });
  const [oldTypes, newTypes] = [typesOf(before), typesOf(after)];
  if (oldTypes.join() !== newTypes.join()) {
    const widened = direction === 'request' && oldTypes.every((type) => newTypes.includes(type));
    add(widened ? 'compatible' : 'breaking', `type ${oldTypes.join('|') || 'any'} → ${newTypes.join('|') || 'any'}`);
    if (!widened) return;
  }

  if (Array.isArray(before.enum) || Array.isArray(after.enum)) {
    const oldValues = (before.enum as unknown[] | undefined) ?? [];
    const newValues = (after.enum as unknown[] | undefined) ?? [];
    if (!Array.isArray(before.enum)) {
      // A member that took any value of its type now takes only the listed ones: a narrower
      // input, a more precise answer.
      add(direction === 'request' ? 'breaking' : 'compatible', `now one of ${newValues.length} listed values`);
    } else {
      for (const value of oldValues.filter((v) => !newValues.some((w) => JSON.stringify(w) === JSON.stringify(v)))) {
        add('breaking', `enum member ${JSON.stringify(value)} removed`);
      }
      for (const value of newValues.filter((v) => !oldValues.some((w) => JSON.stringify(w) === JSON.stringify(v)))) {
        add('compatible', `enum member ${JSON.stringify(value)} added`);
      }
    }
  }

  if (direction === 'request') {
    for (const bound of LOWER_BOUNDS) {
      const [was, now] = [before[bound], after[bound]];
      if (typeof now === 'number' && (typeof was !== 'number' || now > was))
        add('breaking', `${bound} narrowed to ${now}`);
    }
    for (const bound of UPPER_BOUNDS) {
      const [was, now] = [before[bound], after[bound]];
      if (typeof now === 'number' && (typeof was !== 'number' || now < was))
        add('breaking', `${bound} narrowed to ${now}`);
    }
    if (after.pattern !== undefined && after.pattern !== before.pattern)
      add('breaking', `pattern changed to ${String(after.pattern)}`);
  }

  const oldProperties = isObject(before.properties) ? before.properties : {};
  const newProperties = isObject(after.properties) ? after.properties : {};
  const oldRequired = new Set((before.required as string[] | undefined) ?? []);
  const newRequired = new Set((after.required as string[] | undefined) ?? []);
  for (const [name, schema] of Object.entries(oldProperties)) {
    const where = [...at, 'properties', name];
    const next = newProperties[name];
    if (!isObject(next)) {
      add('breaking', direction === 'response' ? 'response field removed' : 'input field removed', where);
      continue;
    }
    if (direction === 'request' && newRequired.has(name) && !oldRequired.has(name)) {
      add('breaking', 'optional input made required', where);
    }
    if (direction === 'response' && oldRequired.has(name) && !newRequired.has(name)) {
      add('breaking', 'response field no longer always present', where);
    }
    if (isObject(schema)) compareSchemas(schema, next, where, direction, out);
  }
  for (const name of Object.keys(newProperties).filter((n) => !(n in oldProperties))) {
    const required = direction === 'request' && newRequired.has(name);
    add(required ? 'breaking' : 'compatible', required ? 'new required input' : 'field added', [
      ...at,
      'properties',
      name,
    ]);
  }

  if (isObject(before.items) && isObject(after.items))
    compareSchemas(before.items, after.items, [...at, 'items'], direction, out);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const [was, now] = [before[keyword], after[keyword]];
    if (Array.isArray(was) && Array.isArray(now) && was.length === now.length) {
      // The same alternatives in the same order: compared one by one, as any schema is.
      was.forEach((branch, index) => {
        if (isObject(branch) && isObject(now[index]))
          compareSchemas(branch, now[index], [...at, keyword, String(index)], direction, out);
      });
    } else if (JSON.stringify(was) !== JSON.stringify(now)) add('breaking', `${keyword} changed`);
  }
}

type Operation = {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Json }>;
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, { content?: Record<string, { schema?: Json }> } & Json>;
};

function compareOperations(before: Operation, after: Operation, at: string[], out: ContractChange[]): void {
  const parameterKey = (p: { name: string; in: string }) => `${p.in}:${p.name.toLowerCase()}`;
  const newParameters = new Map((after.parameters ?? []).map((p) => [parameterKey(p), p]));
  const oldParameters = new Map((before.parameters ?? []).map((p) => [parameterKey(p), p]));
  for (const [key, parameter] of oldParameters) {
    const where = [...at, 'parameters', key];
    const next = newParameters.get(key);
    if (!next) {
      out.push({
        kind: 'breaking',
        path: pointer(where),
        message: `${parameter.in} parameter ${parameter.name} removed`,
      });
      continue;
    }
    if (next.required && !parameter.required) {
      out.push({ kind: 'breaking', path: pointer(where), message: 'optional input made required' });
    }
    if (parameter.schema && next.schema)
      compareSchemas(parameter.schema, next.schema, [...where, 'schema'], 'request', out);
  }
  for (const [key, parameter] of newParameters) {
    if (oldParameters.has(key)) continue;
    out.push({
      kind: parameter.required ? 'breaking' : 'compatible',
      path: pointer([...at, 'parameters', key]),
      message: parameter.required ? 'new required input' : `${parameter.in} parameter ${parameter.name} added`,
    });
  }

  for (const [type, media] of Object.entries(before.requestBody?.content ?? {})) {
    const where = [...at, 'requestBody', 'content', type];
    const next = after.requestBody?.content?.[type];
    if (!next) out.push({ kind: 'breaking', path: pointer(where), message: `request media type ${type} removed` });
    else if (media.schema && next.schema)
      compareSchemas(media.schema, next.schema, [...where, 'schema'], 'request', out);
  }
  if (!before.requestBody && after.requestBody) {
    out.push({
      kind: 'breaking',
      path: pointer([...at, 'requestBody']),
      message: 'new required input: a request body',
    });
  }

  for (const [status, response] of Object.entries(before.responses ?? {})) {
    const where = [...at, 'responses', status];
    const next = after.responses?.[status];
    if (!next) {
      out.push({ kind: 'breaking', path: pointer(where), message: `response status ${status} removed` });
      continue;
    }
    for (const [type, media] of Object.entries(response.content ?? {})) {
      const found = next.content?.[type];
      if (!found)
        out.push({ kind: 'breaking', path: pointer([...where, 'content', type]), message: `${type} response removed` });
      else if (media.schema && found.schema) {
        compareSchemas(media.schema, found.schema, [...where, 'content', type, 'schema'], 'response', out);
      }
    }
  }
  for (const status of Object.keys(after.responses ?? {}).filter((s) => !(s in (before.responses ?? {})))) {
    out.push({
      kind: 'compatible',
      path: pointer([...at, 'responses', status]),
      message: `response status ${status} added`,
    });
  }
}

/** Every difference between two documents that a client could notice, classified. */
export function compareContracts(olderDocument: Json, newerDocument: Json): ContractChange[] {
  const [before, after] = [inlineReferences(olderDocument), inlineReferences(newerDocument)];
  const out: ContractChange[] = [];
  const oldPaths = (before.paths ?? {}) as Record<string, Record<string, Operation>>;
  const newPaths = (after.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, methods] of Object.entries(oldPaths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const next = newPaths[path]?.[method];
      const at = ['paths', path, method];
      if (!next)
        out.push({ kind: 'breaking', path: pointer(at), message: `route ${method.toUpperCase()} ${path} removed` });
      else compareOperations(operation, next, at, out);
    }
  }
  for (const [path, methods] of Object.entries(newPaths)) {
    for (const method of Object.keys(methods).filter((m) => !oldPaths[path]?.[m])) {
      out.push({
        kind: 'compatible',
        path: pointer(['paths', path, method]),
        message: `route ${method.toUpperCase()} ${path} added`,
      });
    }
  }
  const [oldProblem, newProblem] = [before, after].map(
    (d) => ((d.components as Json | undefined)?.schemas as Json | undefined)?.Problem,
  );
  if (isObject(oldProblem) && isObject(newProblem)) {
    compareSchemas(oldProblem, newProblem, ['components', 'schemas', 'Problem'], 'response', out);
  }
  return out;
}

const parseVersion = (version: string) => version.split(/[.-]/).slice(0, 3).map(Number) as [number, number, number];

/**
 * Whether `next` is a version that may carry breaking changes after `released`: a major bump,
 * or a minor one while the major is 0 (semver's rule for initial development).
 */
export function allowsBreakingChanges(released: string, next: string): boolean {
  const [major, minor] = parseVersion(released);
  const [nextMajor, nextMinor] = parseVersion(next);
  if (nextMajor > major) return true;
  return major === 0 && nextMajor === 0 && nextMinor > minor;
}

/** Sorts versions (x.y.z) from lowest to highest. */
export function sortVersions(versions: string[]): string[] {
  return versions.slice().sort((a, b) => {
    const [x, y] = [parseVersion(a), parseVersion(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}
