// Tenants (logical clusters) and cells. A tenant's name is unique through a name index key created
// in the same transaction; the tenant-usage key counts topics and partitions so that limits are
// enforced atomically with every topic change.
import { randomBytes } from 'node:crypto';
import { cellId, fail, ok, tenantId, type CellId, type Result, type TenantId } from '@stratus/metadata-model';
import { encode } from './codec';
import { CONFLICT, isKeySegment, readJson, retryOnConflict, versioned, type StoreContext, type Versioned } from './context';
import { resolveSettings } from './tenant-settings';
import type { Cell, Tenant, TenantLimits, TenantQuotaSettings, TenantQuotas, TenantState, TenantUsage } from './types';

export { DEFAULT_LIMITS, DEFAULT_QUOTAS } from './tenant-settings';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;
const CELL_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface CreateTenantRequest {
  readonly name: string;
  /** Omitted: the less loaded of two random cells (power of two choices). */
  readonly cell?: CellId;
  readonly quotas?: Partial<TenantQuotas>;
  readonly limits?: Partial<TenantLimits>;
  /** Quotas and limits in one object (as the contract's TenantQuotas carries them). */
  readonly settings?: TenantQuotaSettings;
  readonly labels?: Readonly<Record<string, string>>;
}

/** UpdateTenant: only present fields change; the whole update is one compare-on-revision txn. */
export interface UpdateTenantRequest {
  /** The tenant's mod revision the caller read; undefined means unconditional. */
  readonly expectedRevision?: bigint;
  readonly name?: string;
  readonly state?: TenantState;
  /** Replaces the explicit quotas and limits as a whole. */
  readonly settings?: TenantQuotaSettings;
  readonly labels?: { readonly values: Readonly<Record<string, string>>; readonly replace: boolean };
}

const LABEL_KEY = /^[a-zA-Z0-9][a-zA-Z0-9._/-]{0,62}$/;

export class TenantStore {
  constructor(private readonly ctx: StoreContext) {}

  async putCell(cell: Cell): Promise<Result<Cell>> {
    if (!CELL_ID.test(cell.id)) return fail('INVALID_REQUEST', `Invalid cell id ${JSON.stringify(cell.id)}`);
    if (cell.azs.length === 0 || new Set(cell.azs).size !== cell.azs.length) {
      return fail('INVALID_REQUEST', 'A cell needs a non-empty list of distinct availability zones');
    }
    await this.ctx.kv.txn([], [{ type: 'put', key: this.ctx.keys.cell(cell.id), value: encode(cell) }]);
    return ok(cell);
  }

  async listCells(): Promise<Cell[]> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.cells());
    return entries.map((e) => versioned<Cell>(e).value);
  }

  async create(request: CreateTenantRequest): Promise<Result<Tenant>> {
    if (!NAME.test(request.name)) {
      return fail('INVALID_REQUEST', 'Tenant names are 1-64 characters of [a-zA-Z0-9._-], starting with a letter or digit');
    }
    const badLabel = Object.keys(request.labels ?? {}).find((k) => !LABEL_KEY.test(k));
    if (badLabel !== undefined) return fail('INVALID_REQUEST', `Invalid label key ${JSON.stringify(badLabel)}`);
    const settings = resolveSettings({ ...request.quotas, ...request.limits, ...request.settings });
    if (!settings.ok) return settings;
    const { quotas, limits, configured } = settings.value;
    const cell = await this.chooseCell(request.cell);
    if (!cell.ok) return cell;
    const tenant: Tenant = {
      id: tenantId(`lkc-${randomBytes(5).toString('hex')}`),
      name: request.name,
      cell: cell.value,
      quotas,
      limits,
      configured,
      ...(request.labels && Object.keys(request.labels).length > 0 && { labels: { ...request.labels } }),
      createdAtMs: this.ctx.now(),
    };
    const keys = this.ctx.keys;
    const usage: TenantUsage = { topics: 0, partitions: 0 };
    const result = await this.ctx.kv.txn(
      [
        { key: keys.tenantName(tenant.name), target: 'createRevision', op: '==', value: 0n },
        { key: keys.tenant(tenant.id), target: 'createRevision', op: '==', value: 0n },
      ],
      [
        { type: 'put', key: keys.tenant(tenant.id), value: encode(tenant) },
        { type: 'put', key: keys.tenantName(tenant.name), value: tenant.id },
        { type: 'put', key: keys.tenantUsage(tenant.id), value: encode(usage) },
      ],
    );
    if (!result.succeeded) return fail('DUPLICATE_RESOURCE', `A tenant named ${tenant.name} already exists`);
    return ok(tenant);
  }

  /**
   * Renames, suspends/resumes, re-labels or re-quotas a tenant. A rename moves the unique name
   * index in the same transaction (compare: new name free, tenant unchanged since read).
   */
  async update(id: TenantId, request: UpdateTenantRequest): Promise<Result<Versioned<Tenant>>> {
    const keys = this.ctx.keys;
    if (request.name !== undefined && !NAME.test(request.name)) {
      return fail('INVALID_REQUEST', 'Tenant names are 1-64 characters of [a-zA-Z0-9._-], starting with a letter or digit');
    }
    const badLabel = Object.keys(request.labels?.values ?? {}).find((k) => !LABEL_KEY.test(k));
    if (badLabel !== undefined) return fail('INVALID_REQUEST', `Invalid label key ${JSON.stringify(badLabel)}`);
    const settings = request.settings === undefined ? undefined : resolveSettings(request.settings);
    if (settings && !settings.ok) return settings;
    if (!isKeySegment(id)) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
    return retryOnConflict(async () => {
      const current = await readJson<Tenant>(this.ctx.kv, keys.tenant(id));
      if (!current) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
      if (request.expectedRevision !== undefined && current.modRevision !== request.expectedRevision) {
        return fail('INVALID_UPDATE_VERSION', `Tenant ${id} is at revision ${current.modRevision}, not ${request.expectedRevision}`);
      }
      const before = current.value;
      const labels = request.labels ? { ...(request.labels.replace ? {} : before.labels), ...request.labels.values } : before.labels;
      const next: Tenant = {
        ...before,
        ...(request.name !== undefined && { name: request.name }),
        ...(request.state !== undefined && { state: request.state }),
        ...(settings?.ok && { quotas: settings.value.quotas, limits: settings.value.limits, configured: settings.value.configured }),
        ...(labels !== undefined && { labels }),
      };
      const renamed = next.name !== before.name;
      const result = await this.ctx.kv.txn(
        [
          { key: keys.tenant(id), target: 'modRevision', op: '==', value: current.modRevision },
          ...(renamed ? [{ key: keys.tenantName(next.name), target: 'createRevision' as const, op: '==' as const, value: 0n }] : []),
        ],
        [
          { type: 'put', key: keys.tenant(id), value: encode(next) },
          ...(renamed
            ? [
                { type: 'delete' as const, key: keys.tenantName(before.name) },
                { type: 'put' as const, key: keys.tenantName(next.name), value: id },
              ]
            : []),
        ],
      );
      if (result.succeeded) return ok({ value: next, modRevision: result.revision, createRevision: current.createRevision });
      if (renamed && (await this.ctx.kv.get(keys.tenantName(next.name)))) return fail('DUPLICATE_RESOURCE', `A tenant named ${next.name} already exists`);
      return CONFLICT;
    });
  }

  async describe(id: TenantId): Promise<Result<Tenant>> {
    if (!isKeySegment(id)) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
    const found = await readJson<Tenant>(this.ctx.kv, this.ctx.keys.tenant(id));
    return found ? ok(found.value) : fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
  }

  /** The tenant with its etcd mod revision (the contract's `revision`). */
  async get(id: TenantId): Promise<Versioned<Tenant> | undefined> {
    if (!isKeySegment(id)) return undefined;
    return readJson<Tenant>(this.ctx.kv, this.ctx.keys.tenant(id));
  }

  async findByName(name: string): Promise<Versioned<Tenant> | undefined> {
    if (!isKeySegment(name)) return undefined;
    const index = await this.ctx.kv.get(this.ctx.keys.tenantName(name));
    return index ? this.get(tenantId(index.value.toString())) : undefined;
  }

  async list(): Promise<Tenant[]> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.tenants());
    return entries.map((e) => versioned<Tenant>(e).value);
  }

  async usage(id: TenantId): Promise<TenantUsage | undefined> {
    return (await readJson<TenantUsage>(this.ctx.kv, this.ctx.keys.tenantUsage(id)))?.value;
  }

  /**
   * Deletes the tenant with all its topics, partitions and indexes in one transaction (prefix
   * deletes, so the op count is constant). API keys are removed right after; until then they
   * fail verification because their tenant is gone.
   */
  async delete(id: TenantId): Promise<Result<Tenant>> {
    const keys = this.ctx.keys;
    if (!isKeySegment(id)) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
    const deleted = await retryOnConflict(async () => {
      const tenant = await readJson<Tenant>(this.ctx.kv, keys.tenant(id));
      if (!tenant) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
      const result = await this.ctx.kv.txn(
        [{ key: keys.tenant(id), target: 'modRevision', op: '==', value: tenant.modRevision }],
        [
          { type: 'delete', key: keys.tenant(id) },
          { type: 'delete', key: keys.tenantName(tenant.value.name) },
          { type: 'delete', key: keys.tenantUsage(id) },
          { type: 'deletePrefix', prefix: keys.topics(id) },
          { type: 'deletePrefix', prefix: keys.topicIds(id) },
          { type: 'deletePrefix', prefix: keys.topicCollisions(id) },
          { type: 'deletePrefix', prefix: keys.partitions(id) },
          { type: 'deletePrefix', prefix: keys.acls(id) },
        ],
      );
      return result.succeeded ? ok(tenant.value) : CONFLICT;
    });
    if (deleted.ok) await this.deleteApiKeysOf(id);
    return deleted;
  }

  private async deleteApiKeysOf(id: TenantId): Promise<void> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.apiKeys());
    const mine = entries.filter((e) => versioned<{ tenantId: string }>(e).value.tenantId === id);
    // Batches stay under etcd's default 128 ops per transaction.
    for (let i = 0; i < mine.length; i += 100) {
      await this.ctx.kv.txn([], mine.slice(i, i + 100).map((e) => ({ type: 'delete' as const, key: e.key })));
    }
  }

  private async chooseCell(requested: CellId | undefined): Promise<Result<CellId>> {
    const cells = await this.listCells();
    if (requested !== undefined) {
      return cells.some((c) => c.id === requested) ? ok(requested) : fail('INVALID_REQUEST', `Unknown cell ${requested}`);
    }
    if (cells.length === 0) return fail('INVALID_REQUEST', 'No cells are defined');
    const tenants = await this.list();
    const load = (c: CellId) => tenants.filter((t) => t.cell === c).length;
    const a = cells[Math.floor(Math.random() * cells.length)] as Cell;
    const b = cells[Math.floor(Math.random() * cells.length)] as Cell;
    return ok(cellId(load(a.id) <= load(b.id) ? a.id : b.id));
  }
}
