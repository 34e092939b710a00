/**
 * The state of one verify run shared by its scenarios: the session, the resources, body
 * generators (derived once per route), and fixtures, the rows created only to host nested
 * rows or to be referred to (an event for guests, a user for todos).
 */
import type { ContractRoute, LocatedRoute } from '@lockstep/contract';
import { type Generator, generatorOf } from '../generate.js';
import { bodySchemaOf } from '../route-schemas.js';
import { isRow, pick, queryString, type Row, requiredMembersOf } from './expectations.js';
import type { Exchange } from './http.js';
import { fillPath, itemParamOf, labelOf, ownerOfPath, type Resource, referencesOf } from './resources.js';
import type { Caller, Session } from './session.js';

/** A row verify created or found: its id, the parameters of its item path, and its path. */
export interface Item {
  id: number;
  params: Record<string, number>;
  path: string;
  row: Row;
}

export class Run {
  private readonly generators = new Map<ContractRoute, Generator>();
  private readonly fixtures = new Map<string, Promise<Item | undefined>>();
  readonly skipped: string[] = [];

  constructor(
    readonly session: Session,
    readonly resources: readonly Resource[],
    readonly baseUrl: URL,
    /** The one route (`todos.update`) or probe (`POST /todos/:id`) a replay is limited to. */
    readonly only?: string,
  ) {}

  /** Whether the run checks this route or probe: every one, or the one it is limited to. */
  wants(label: string): boolean {
    return this.only === undefined || this.only === label;
  }

  skip(reason: string): void {
    if (!this.skipped.includes(reason)) this.skipped.push(reason);
  }

  resource(name: string): Resource | undefined {
    return this.resources.find((resource) => resource.name === name);
  }

  /**
   * A valid body for the route, fresh for each call and reproducible from the seed. Ids it
   * refers to name real rows (fixtures); a repeated `id` is the item's own (`id`). Minimal
   * bodies (required members only) are for fixtures: an event without a capacity takes any
   * number of guests.
   */
  async body(route: ContractRoute, options: { id?: number; minimal?: boolean } = {}): Promise<Row | undefined> {
    const schema = bodySchemaOf(route);
    if (!schema) return undefined;
    let generator = this.generators.get(route);
    if (!generator) {
      generator = generatorOf(schema, 'input');
      this.generators.set(route, generator);
    }
    const references: Row = {};
    for (const [member, target] of Object.entries(referencesOf(route))) {
      const referenced = this.resource(target);
      const fixture = referenced && (await this.fixture(referenced));
      if (!fixture) return undefined;
      references[member] = fixture.id;
    }
    const required = options.minimal ? requiredMembersOf(schema) : undefined;
    // Fixtures draw from a stream of their own, so a run of one route (`--only`) sends that
    // route the values a whole run does, whichever fixtures it needed first.
    const stream = `${route.method} ${route.path}${options.minimal ? ' (fixture)' : ''}`;
    const value = generator.valid(this.session.nextSeed(stream), (generated) => {
      if (!isRow(generated)) return generated;
      const kept = required ? pick(generated, required) : { ...generated };
      for (const member of Object.keys(references)) if (member in kept) kept[member] = references[member];
      if (options.id !== undefined && 'id' in kept) kept.id = options.id;
      return kept;
    });
    return isRow(value) ? value : undefined;
  }

  /** The parameters of the resource's collection path: its parent fixture's, or none. */
  async parentParams(resource: Resource): Promise<Record<string, number> | undefined> {
    if (!resource.parent) return {};
    return (await this.fixture(resource.parent))?.params;
  }

  /** An item's path parameters and path, from its id and its parent's parameters. */
  itemAt(resource: Resource, parentParams: Record<string, number>, row: Row): Item | undefined {
    const get = resource.routes.get?.route;
    if (!get || typeof row.id !== 'number') return undefined;
    const params = { ...parentParams, [itemParamOf(get.path)]: row.id };
    return { id: row.id, params, path: fillPath(get.path, params), row };
  }

  /** Creates a row as `as`; answers the item when the deployment created it (201 with an id). */
  async create(
    resource: Resource,
    parentParams: Record<string, number>,
    body: Row,
    headers: Record<string, string> = {},
  ): Promise<{ exchange?: Exchange; item?: Item }> {
    const create = resource.routes.create as LocatedRoute;
    const label = labelOf(create);
    const exchange = await this.session.send(label, create.route, {
      method: 'POST',
      path: fillPath(create.route.path, parentParams),
      json: body,
      headers,
    });
    if (exchange?.status !== 201 || !isRow(exchange.json)) return { exchange };
    const item = this.itemAt(resource, parentParams, exchange.json);
    if (item) this.session.created(label, resource.routes.remove?.route ?? create.route, item.path);
    return { exchange, item };
  }

  /** One row of the resource to build on, created once per run with the first key. */
  fixture(resource: Resource): Promise<Item | undefined> {
    let fixture = this.fixtures.get(resource.name);
    if (!fixture) {
      fixture = (async () => {
        const parentParams = await this.parentParams(resource);
        const create = resource.routes.create?.route;
        const body = parentParams && create && (await this.body(create, { minimal: true }));
        if (!parentParams || !body) return undefined;
        const { exchange, item } = await this.create(resource, parentParams, body);
        if (!item && exchange) {
          this.session.expect(
            labelOf(resource.routes.create as LocatedRoute),
            'create answers 201',
            false,
            exchange,
            'status 201 with the created row',
          );
        }
        return item;
      })();
      this.fixtures.set(resource.name, fixture);
    }
    return fixture;
  }

  /**
   * Read-only runs build on rows that exist: the first row the key can list, for a resource and
   * for the path a nested route hangs under (`/users/:id/todos` → the first user).
   */
  async existingRow(resource: Resource, as: Caller = 'key'): Promise<Item | undefined> {
    const list = resource.routes.list;
    const parentParams = resource.parent ? (await this.existingRow(resource.parent, as))?.params : {};
    if (!list || !parentParams) return undefined;
    const exchange = await this.session.send(labelOf(list), list.route, {
      method: 'GET',
      path: `${fillPath(list.route.path, parentParams)}${queryString({ limit: 1 })}`,
      as,
    });
    const first = Array.isArray(exchange?.json) ? exchange.json[0] : undefined;
    return isRow(first) ? this.itemAt(resource, parentParams, first) : undefined;
  }

  /** The parameters for a route nested under another resource's item (or none). */
  async paramsFor(route: ContractRoute, mode: 'fixture' | 'existing'): Promise<Record<string, number> | undefined> {
    const host = ownerOfPath(this.resources, route.path);
    if (!host) return {};
    const row = mode === 'fixture' ? await this.fixture(host) : await this.existingRow(host);
    return row?.params;
  }
}
