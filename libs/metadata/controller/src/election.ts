// Controller election through etcd: the controller key is created under the candidate's lease,
// only if absent. Its create revision is the fencing token: every controller write compares
// the key's create revision with the token, so a deposed controller (lease expired, key gone or
// re-created by a successor) can never land a write, whatever it still believes.
import { encode, type KvStore, type LeaseId } from '@stratus/metadata-store';

export interface ElectionOptions {
  readonly kv: KvStore;
  readonly key: string;
  readonly candidateId: string;
  readonly ttlSeconds: number;
}

export interface Leadership {
  readonly token: bigint;
  readonly leaseId: LeaseId;
}

export interface ControllerRecord {
  readonly candidateId: string;
  readonly electedAtMs: number;
}

export class Election {
  constructor(private readonly options: ElectionOptions) {}

  /** One attempt: becomes leader if nobody is, else returns undefined. */
  async tryAcquire(): Promise<Leadership | undefined> {
    const { kv, key } = this.options;
    if (await kv.get(key)) return undefined;
    const leaseId = await kv.grantLease(this.options.ttlSeconds);
    const record: ControllerRecord = { candidateId: this.options.candidateId, electedAtMs: Date.now() };
    const result = await kv.txn(
      [{ key, target: 'createRevision', op: '==', value: 0n }],
      [{ type: 'put', key, value: encode(record), lease: leaseId }],
    );
    if (!result.succeeded) {
      await kv.revokeLease(leaseId);
      return undefined;
    }
    // The key was created by this transaction, so its create revision is the txn revision.
    return { token: result.revision, leaseId };
  }

  /** Renews the lease; false means leadership is lost (lease gone or key replaced). */
  async renew(leadership: Leadership): Promise<boolean> {
    const alive = await this.options.kv.keepAliveOnce(leadership.leaseId);
    if (!alive) return false;
    const entry = await this.options.kv.get(this.options.key);
    return entry !== undefined && entry.createRevision === leadership.token;
  }

  async resign(leadership: Leadership): Promise<void> {
    await this.options.kv.revokeLease(leadership.leaseId);
  }
}
