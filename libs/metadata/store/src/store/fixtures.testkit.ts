// Test fixtures shared by the unit (in-memory) and integration (etcd) runs of the store suite.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { cellId, unwrap, type ScramMechanism, type TenantId } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import { MetadataStore } from './metadata-store';

let counter = 0;

export interface Fixture {
  readonly store: MetadataStore;
  readonly tenant: TenantId;
  readonly other: TenantId;
}

/** A fresh store under its own root, with a 3-AZ cell, 3 replication nodes, 2 brokers, 2 tenants. */
export async function makeFixture(kv: KvStore, options: { limits?: { maxPartitions?: number; maxTopics?: number } } = {}): Promise<Fixture> {
  const store = new MetadataStore({ kv, root: `/test-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}/stratus/v1/` });
  unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['az-a', 'az-b', 'az-c'] }));
  for (const [id, az] of [['r1', 'az-a'], ['r2', 'az-b'], ['r3', 'az-c'], ['r4', 'az-a']] as const) {
    unwrap(await store.nodes.register({ id, kind: 'replication', address: `${id}:1`, az, cell: cellId('c1'), ttlSeconds: 60 }));
  }
  for (const [id, az] of [['b1', 'az-a'], ['b2', 'az-b']] as const) {
    unwrap(await store.nodes.register({ id, kind: 'broker', address: `${id}:1`, az, cell: cellId('c1'), ttlSeconds: 60 }));
  }
  const tenant = unwrap(await store.tenants.create({ name: 'acme', cell: cellId('c1'), limits: options.limits })).id;
  const other = unwrap(await store.tenants.create({ name: 'globex', cell: cellId('c1') })).id;
  return { store, tenant, other };
}

/** Client side of SCRAM (RFC 5802 §3), independent of the server code under test. */
export function scramClientProof(options: {
  mechanism: ScramMechanism;
  user: string;
  password: string;
  serverFirst: string;
  clientFirstBare: string;
}): { clientFinal: string; expectedServerFinal: string } {
  const name = options.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const attrs = Object.fromEntries(options.serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
  const salted = pbkdf2Sync(options.password, Buffer.from(String(attrs['s']), 'base64'), Number(attrs['i']), name === 'sha256' ? 32 : 64, name);
  const clientKey = createHmac(name, salted).update('Client Key').digest();
  const storedKey = createHash(name).update(clientKey).digest();
  const withoutProof = `c=biws,r=${attrs['r']}`;
  const authMessage = `${options.clientFirstBare},${options.serverFirst},${withoutProof}`;
  const signature = createHmac(name, storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)));
  const serverKey = createHmac(name, salted).update('Server Key').digest();
  return {
    clientFinal: `${withoutProof},p=${proof.toString('base64')}`,
    expectedServerFinal: `v=${createHmac(name, serverKey).update(authMessage).digest('base64')}`,
  };
}
