// Where a router's authorization decisions come from: every tenant's ACL bindings and the set of
// super-user API keys, kept current by metadata watches (WatchAcls, WatchApiKeys) so a decision
// never calls the metadata service. One AclIndex per tenant, rebuilt lazily after its bindings
// change.
import type { metadataV1 } from '@stratus/contracts';
import {
  AclIndex,
  EMPTY_ACL_INDEX,
  operationOf,
  patternTypeOf,
  permissionTypeOf,
  resourceTypeOf,
  type AclBinding,
} from '@stratus/kafka-acls';

/** The ACL state of all tenants, as the guard needs it. */
export interface AclAuthority {
  /** The tenant's bindings, indexed. */
  indexFor(tenantId: string): AclIndex;
  /** Whether this API key (SASL user name) is a super user of its tenant. */
  isSuperUser(keyId: string): boolean;
  /** Resolves once the first snapshot of bindings and keys is in; false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
}

export function aclFromProto(b: metadataV1.AclBinding): AclBinding {
  return {
    resourceType: resourceTypeOf(b.resourceType),
    name: b.resourceName,
    patternType: patternTypeOf(b.patternType),
    principal: b.principal,
    host: b.host,
    operation: operationOf(b.operation),
    permissionType: permissionTypeOf(b.permissionType),
  };
}

/** Fixed bindings and super users: tests, tools, and a router run without metadata. */
export class StaticAclAuthority implements AclAuthority {
  private readonly indexes = new Map<string, AclIndex>();
  private readonly superUsers: ReadonlySet<string>;

  constructor(options: { bindings?: Readonly<Record<string, readonly AclBinding[]>>; superUsers?: readonly string[] } = {}) {
    for (const [tenant, bindings] of Object.entries(options.bindings ?? {})) this.indexes.set(tenant, new AclIndex(bindings));
    this.superUsers = new Set(options.superUsers ?? []);
  }

  indexFor(tenantId: string): AclIndex {
    return this.indexes.get(tenantId) ?? EMPTY_ACL_INDEX;
  }

  isSuperUser(keyId: string): boolean {
    return this.superUsers.has(keyId);
  }

  async ready(): Promise<boolean> {
    return true;
  }
}

/** The two watched maps a WatchedAclAuthority reads (from @stratus/platform-metadata-client). */
export interface AclWatches {
  readonly acls: WatchedMapLike<metadataV1.TenantAclBinding>;
  readonly apiKeys: WatchedMapLike<metadataV1.ApiKey>;
}

/** The part of platform-metadata-client's WatchedMap used here. */
export interface WatchedMapLike<V> {
  get(key: string): V | undefined;
  values(): IterableIterator<V>;
  readonly isReady: boolean;
  ready(timeoutMs?: number): Promise<void>;
  onChange(listener: (change: unknown) => void): () => void;
}

export class WatchedAclAuthority implements AclAuthority {
  private readonly indexes = new Map<string, AclIndex>();
  private readonly unsubscribe: () => void;

  constructor(private readonly watches: AclWatches) {
    // Any change may touch any tenant (a reset swaps the whole map): drop every index and rebuild
    // on demand. Bindings change rarely; decisions are frequent and then hit the cached index.
    this.unsubscribe = watches.acls.onChange(() => this.indexes.clear());
  }

  indexFor(tenantId: string): AclIndex {
    let index = this.indexes.get(tenantId);
    if (!index) {
      const bindings: AclBinding[] = [];
      for (const entry of this.watches.acls.values()) {
        if (entry.tenantId?.value === tenantId && entry.binding) bindings.push(aclFromProto(entry.binding));
      }
      index = bindings.length === 0 ? EMPTY_ACL_INDEX : new AclIndex(bindings);
      this.indexes.set(tenantId, index);
    }
    return index;
  }

  isSuperUser(keyId: string): boolean {
    return this.watches.apiKeys.get(keyId)?.superUser === true;
  }

  async ready(timeoutMs: number): Promise<boolean> {
    if (this.watches.acls.isReady && this.watches.apiKeys.isReady) return true;
    try {
      await Promise.all([this.watches.acls.ready(timeoutMs), this.watches.apiKeys.ready(timeoutMs)]);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
