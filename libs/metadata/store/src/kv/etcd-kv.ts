// KvStore over etcd v3 (the etcd3 client's raw RPC clients, so revisions and compares map 1:1).
import { noop, type IPolicy } from 'cockatiel';
import { Etcd3, type ICompare, type IKeyValue, type IRequestOp } from 'etcd3';
import { prefixRangeEnd } from './etcd-keys';
import { EtcdPrefixWatch } from './etcd-watch';
import type { KvCompare, KvCount, KvCountOptions, KvEntry, KvOp, KvRange, KvStore, KvTxnResult, KvWatch, KvWatchListener, LeaseId } from './kv';

export interface EtcdKvOptions {
  /** e.g. ["http://127.0.0.1:2379"] */
  readonly endpoints: readonly string[];
  /** Per-call deadline; keeps a dead etcd from hanging callers forever. */
  readonly callTimeoutMs?: number;
}

const TARGET = { createRevision: 'Create', modRevision: 'Mod', version: 'Version' } as const;
const RESULT = { '==': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;
const FIELD = { createRevision: 'create_revision', modRevision: 'mod_revision', version: 'version' } as const;

function toEntry(kv: IKeyValue): KvEntry {
  return {
    key: kv.key.toString('utf8'),
    value: Buffer.from(kv.value),
    createRevision: BigInt(kv.create_revision),
    modRevision: BigInt(kv.mod_revision),
    version: BigInt(kv.version),
    lease: kv.lease || '0',
  };
}

function toCompare(c: KvCompare): ICompare {
  return { key: Buffer.from(c.key, 'utf8'), target: TARGET[c.target], result: RESULT[c.op], [FIELD[c.target]]: c.value.toString() };
}

function toRequestOp(op: KvOp): IRequestOp {
  switch (op.type) {
    case 'put':
      return { request_put: { key: Buffer.from(op.key, 'utf8'), value: Buffer.from(op.value), lease: op.lease ?? '0' } };
    case 'delete':
      return { request_delete_range: { key: Buffer.from(op.key, 'utf8') } };
    case 'deletePrefix':
      return { request_delete_range: { key: Buffer.from(op.prefix, 'utf8'), range_end: prefixRangeEnd(op.prefix) } };
  }
}

/**
 * etcd3 puts a circuit breaker on every host: three recoverable errors in a row (deadlines on a
 * briefly overloaded etcd) stop all calls to that host for 5 s. With several endpoints the pool
 * then uses another one; with a single endpoint it turns a blip into a 5-second outage of the
 * whole control plane, although every caller here already retries with its own backoff. So the
 * breaker stays only where there is somewhere else to go.
 */
function hostPolicy(endpoints: readonly string[]): ((host: string) => IPolicy) | undefined {
  return endpoints.length === 1 ? () => noop : undefined;
}

export class EtcdKvStore implements KvStore {
  private readonly client: Etcd3;
  private readonly watches = new Set<EtcdPrefixWatch>();
  private readonly callTimeoutMs: number;

  constructor(options: EtcdKvOptions) {
    this.client = new Etcd3({ hosts: [...options.endpoints], faultHandling: { host: hostPolicy(options.endpoints) } });
    this.callTimeoutMs = options.callTimeoutMs ?? 5000;
  }

  private opts(): { deadline: Date } {
    return { deadline: new Date(Date.now() + this.callTimeoutMs) };
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const res = await this.client.kv.range({ key: Buffer.from(key, 'utf8') }, this.opts());
    const kv = res.kvs[0];
    return kv ? toEntry(kv) : undefined;
  }

  async range(prefix: string): Promise<KvRange> {
    const res = await this.client.kv.range({ key: Buffer.from(prefix, 'utf8'), range_end: prefixRangeEnd(prefix) }, this.opts());
    return { entries: res.kvs.map(toEntry), revision: BigInt(res.header.revision) };
  }

  async count(prefix: string, options: KvCountOptions = {}): Promise<KvCount> {
    if (options.revision !== undefined && options.minModRevision !== undefined) throw new Error('count: minModRevision applies to the current revision only');
    const res = await this.client.kv.range(
      {
        key: Buffer.from(prefix, 'utf8'),
        range_end: prefixRangeEnd(prefix),
        // etcd computes `count` before the mod-revision filter, so a filtered count reads the
        // (value-less) keys and counts what is left.
        ...(options.minModRevision !== undefined ? { keys_only: true, min_mod_revision: String(options.minModRevision) } : { count_only: true }),
        ...(options.revision !== undefined ? { revision: String(options.revision) } : {}),
      },
      this.opts(),
    );
    const count = options.minModRevision !== undefined ? res.kvs.length : Number(res.count);
    return { count, revision: options.revision ?? BigInt(res.header.revision) };
  }

  async txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult> {
    const res = await this.client.kv.txn({ compare: compares.map(toCompare), success: ops.map(toRequestOp) }, this.opts());
    return { succeeded: res.succeeded, revision: BigInt(res.header.revision) };
  }

  async grantLease(ttlSeconds: number): Promise<LeaseId> {
    const res = await this.client.leaseClient.leaseGrant({ TTL: ttlSeconds, ID: 0 }, this.opts());
    if (res.error) throw new Error(`lease grant failed: ${res.error}`);
    return res.ID;
  }

  async keepAliveOnce(lease: LeaseId): Promise<boolean> {
    const stream = await this.client.leaseClient.leaseKeepAlive(this.opts());
    try {
      const ttl = await new Promise<string>((resolve, reject) => {
        stream.on('data', (res) => resolve(res.TTL));
        stream.on('error', reject);
        stream.on('end', () => reject(new Error('lease keepalive stream ended')));
        stream.write({ ID: lease });
      });
      // etcd answers TTL 0 for a lease that no longer exists.
      return BigInt(ttl || '0') > 0n;
    } finally {
      stream.end();
    }
  }

  async revokeLease(lease: LeaseId): Promise<void> {
    try {
      await this.client.leaseClient.leaseRevoke({ ID: lease }, this.opts());
    } catch (err) {
      // Revoking an already expired lease is not an error for us.
      if (!String((err as Error).message).includes('lease not found')) throw err;
    }
  }

  async watchPrefix(prefix: string, fromRevision: bigint, listener: KvWatchListener): Promise<KvWatch> {
    const watch = new EtcdPrefixWatch(this.client, prefix, fromRevision, listener);
    this.watches.add(watch);
    await watch.start();
    return {
      cancel: async () => {
        this.watches.delete(watch);
        await watch.cancel();
      },
    };
  }

  async compact(revision: bigint): Promise<void> {
    await this.client.kv.compact({ revision: revision.toString(), physical: true }, this.opts());
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches].map((w) => w.cancel()));
    this.watches.clear();
    this.client.close();
  }
}
