// Per-tenant Kafka ACL bindings: one key per binding, `acls/<tenantId>/<bindingId>`, where the id
// is a digest of the binding, so creating a binding that exists rewrites the same key (Kafka
// answers such a CreateAcls with success too) and a prefix watch per tenant sees every change.
// Names are the tenant's own (un-namespaced) names: the tenant prefix is the namespace.
import { createHash } from 'node:crypto';
import { bindingKey, bindingProblem, filterMatches, filterProblem, type AclBinding, type AclBindingFilter } from '@stratus/kafka-acls';
import { fail, ok, type Result, type TenantId } from '@stratus/metadata-model';
import { encode } from './codec';
import { isKeySegment, readJson, versioned, type StoreContext } from './context';
import type { Tenant } from './types';

export interface StoredAcl {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly binding: AclBinding;
}

/** Each creation's outcome, in request order: an error for an invalid binding, else ok. */
export type AclCreation = Result<StoredAcl>;
/** Each filter's outcome: the bindings it removed, or why the filter is invalid. */
export type AclDeletion = Result<StoredAcl[]>;

/** etcd's default transaction limit is 128 ops; stay well under it. */
const OPS_PER_TXN = 100;
/** Bindings per tenant; beyond this CreateAcls answers POLICY_VIOLATION (bounds the router caches). */
export const MAX_ACLS_PER_TENANT = 10_000;

export function aclBindingId(tenant: TenantId, b: AclBinding): string {
  return createHash('sha256').update(`${tenant}\n${bindingKey(b)}`).digest('hex').slice(0, 32);
}

const notFound = (tenant: string): Result<never> => fail('RESOURCE_NOT_FOUND', `Tenant ${tenant} not found`);

export class AclStore {
  constructor(private readonly ctx: StoreContext) {}

  async create(tenant: TenantId, bindings: readonly AclBinding[]): Promise<Result<AclCreation[]>> {
    const keys = this.ctx.keys;
    if (!isKeySegment(tenant)) return notFound(tenant);
    const found = await readJson<Tenant>(this.ctx.kv, keys.tenant(tenant));
    if (!found) return notFound(tenant);
    const existing = new Set((await this.list(tenant)).map((a) => a.id));
    const outcomes: AclCreation[] = [];
    const puts: StoredAcl[] = [];
    for (const binding of bindings) {
      const problem = bindingProblem(binding);
      if (problem) {
        outcomes.push(fail('INVALID_REQUEST', problem));
        continue;
      }
      const stored: StoredAcl = { id: aclBindingId(tenant, binding), tenantId: tenant, binding: copy(binding) };
      if (!existing.has(stored.id)) {
        if (existing.size >= MAX_ACLS_PER_TENANT) {
          outcomes.push(fail('POLICY_VIOLATION', `A tenant may hold at most ${MAX_ACLS_PER_TENANT} ACL bindings`));
          continue;
        }
        existing.add(stored.id);
        puts.push(stored);
      }
      outcomes.push(ok(stored));
    }
    for (let i = 0; i < puts.length; i += OPS_PER_TXN) {
      // The tenant must still exist: bindings must not outlive a deleted tenant.
      const result = await this.ctx.kv.txn(
        [{ key: keys.tenant(tenant), target: 'createRevision', op: '==', value: found.createRevision }],
        puts.slice(i, i + OPS_PER_TXN).map((a) => ({ type: 'put' as const, key: keys.acl(tenant, a.id), value: encode(a) })),
      );
      if (!result.succeeded) return notFound(tenant);
    }
    return ok(outcomes);
  }

  async describe(tenant: TenantId, filter: AclBindingFilter): Promise<Result<StoredAcl[]>> {
    if (!isKeySegment(tenant)) return notFound(tenant);
    const problem = filterProblem(filter);
    if (problem) return fail('INVALID_REQUEST', problem);
    return ok((await this.list(tenant)).filter((a) => filterMatches(filter, a.binding)));
  }

  /** Every filter is matched against the bindings as they were before this call (as Kafka). */
  async delete(tenant: TenantId, filters: readonly AclBindingFilter[]): Promise<Result<AclDeletion[]>> {
    if (!isKeySegment(tenant)) return notFound(tenant);
    const all = await this.list(tenant);
    const outcomes: AclDeletion[] = [];
    const doomed = new Set<string>();
    for (const filter of filters) {
      const problem = filterProblem(filter);
      if (problem) {
        outcomes.push(fail('INVALID_REQUEST', problem));
        continue;
      }
      const matched = all.filter((a) => filterMatches(filter, a.binding));
      for (const a of matched) doomed.add(a.id);
      outcomes.push(ok(matched));
    }
    const ids = [...doomed];
    for (let i = 0; i < ids.length; i += OPS_PER_TXN) {
      await this.ctx.kv.txn([], ids.slice(i, i + OPS_PER_TXN).map((id) => ({ type: 'delete' as const, key: this.ctx.keys.acl(tenant, id) })));
    }
    return ok(outcomes);
  }

  async list(tenant: TenantId): Promise<StoredAcl[]> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.acls(tenant));
    return entries.map((e) => versioned<StoredAcl>(e).value);
  }
}

/** Only the binding's own fields reach etcd (callers may pass richer objects). */
function copy(b: AclBinding): AclBinding {
  return {
    resourceType: b.resourceType,
    name: b.name,
    patternType: b.patternType,
    principal: b.principal,
    host: b.host,
    operation: b.operation,
    permissionType: b.permissionType,
  };
}
