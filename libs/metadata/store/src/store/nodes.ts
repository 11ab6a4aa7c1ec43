// Node registrations (routers, brokers, replication and tiered-storage nodes). Each registration
// is a key held by an etcd lease: when a node stops heartbeating, etcd deletes the key after the
// TTL and every watcher (the controller first) learns the node is gone.
import { fail, isValidIdSegment, nodeId, ok, type CellId, type NodeId, type Result } from '@stratus/metadata-model';
import { NODE_KINDS, type NodeKind } from '../keys/keyspace';
import type { LeaseId } from '../kv/kv';
import { encode } from './codec';
import { readJson, versioned, type StoreContext } from './context';
import type { NodeRegistration, RegisteredNode } from './types';

export interface RegisterNodeRequest {
  readonly id: string;
  readonly kind: NodeKind;
  readonly address: string;
  readonly az: string;
  readonly cell: CellId;
  readonly ttlSeconds: number;
}

export const MIN_NODE_TTL_SECONDS = 1;
export const MAX_NODE_TTL_SECONDS = 300;

export class NodeStore {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Registers a node under a fresh lease. While an earlier registration of the same id is still
   * alive the answer is DUPLICATE_RESOURCE: two live processes must never share an identity (a
   * restarted node waits out its old lease, like a KRaft broker's session).
   */
  async register(request: RegisterNodeRequest): Promise<Result<RegisteredNode>> {
    if (!isValidIdSegment(request.id)) return fail('INVALID_REQUEST', `Invalid node id ${JSON.stringify(request.id)}`);
    if (!NODE_KINDS.includes(request.kind)) return fail('INVALID_REQUEST', `Unknown node kind ${String(request.kind)}`);
    if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds < MIN_NODE_TTL_SECONDS || request.ttlSeconds > MAX_NODE_TTL_SECONDS) {
      return fail('INVALID_REQUEST', `Lease TTL must be an integer in [${MIN_NODE_TTL_SECONDS}, ${MAX_NODE_TTL_SECONDS}] seconds`);
    }
    if (request.address.length === 0 || request.az.length === 0 || request.cell.length === 0) {
      return fail('INVALID_REQUEST', 'address, az and cell are required');
    }
    const leaseId = await this.ctx.kv.grantLease(request.ttlSeconds);
    const registration: NodeRegistration = {
      id: nodeId(request.id),
      kind: request.kind,
      address: request.address,
      az: request.az,
      cell: request.cell,
      leaseId,
      ttlSeconds: request.ttlSeconds,
    };
    const key = this.ctx.keys.node(request.kind, registration.id);
    const result = await this.ctx.kv.txn(
      [{ key, target: 'createRevision', op: '==', value: 0n }],
      [{ type: 'put', key, value: encode(registration), lease: leaseId }],
    );
    if (!result.succeeded) {
      await this.ctx.kv.revokeLease(leaseId);
      return fail('DUPLICATE_RESOURCE', `A live ${request.kind} registration with id ${request.id} exists`);
    }
    // The key was created by this transaction: its create revision is the registration's generation.
    return ok({ ...registration, generation: result.revision });
  }

  /** Renews the lease; RESOURCE_NOT_FOUND tells the node its registration expired: re-register. */
  async heartbeat(request: { kind: NodeKind; id: string; leaseId: LeaseId }): Promise<Result<true>> {
    const gone = fail('RESOURCE_NOT_FOUND', `No live ${request.kind} registration ${request.id} with lease ${request.leaseId}`);
    if (!isValidIdSegment(request.id) || !NODE_KINDS.includes(request.kind)) return gone;
    const current = await readJson<NodeRegistration>(this.ctx.kv, this.ctx.keys.node(request.kind, nodeId(request.id)));
    if (!current || current.value.leaseId !== request.leaseId) return gone;
    return (await this.ctx.kv.keepAliveOnce(request.leaseId)) ? ok(true) : gone;
  }

  async deregister(request: { kind: NodeKind; id: string; leaseId: LeaseId }): Promise<Result<true>> {
    const ok1 = await this.heartbeat(request);
    if (!ok1.ok) return ok1;
    await this.ctx.kv.revokeLease(request.leaseId);
    return ok(true);
  }

  async list(kind?: NodeKind): Promise<RegisteredNode[]> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.nodes(kind));
    return entries.map((e) => ({ ...versioned<NodeRegistration>(e).value, generation: e.createRevision }));
  }

  async get(kind: NodeKind, id: NodeId): Promise<RegisteredNode | undefined> {
    const found = await readJson<NodeRegistration>(this.ctx.kv, this.ctx.keys.node(kind, id));
    return found && { ...found.value, generation: found.createRevision };
  }

  /** Node ids are unique across kinds in practice; the first live registration with the id wins. */
  async findById(id: string): Promise<RegisteredNode | undefined> {
    if (!isValidIdSegment(id)) return undefined;
    for (const kind of NODE_KINDS) {
      const found = await this.get(kind, nodeId(id));
      if (found) return found;
    }
    return undefined;
  }

  /** Heartbeat by node id and generation (the contract's form): a stale generation is fenced. */
  async heartbeatGeneration(request: { id: string; generation: bigint }): Promise<Result<RegisteredNode>> {
    const found = await this.findById(request.id);
    if (!found || found.generation !== request.generation) {
      return fail('RESOURCE_NOT_FOUND', `No live registration ${request.id} with generation ${request.generation}`);
    }
    const renewed = await this.heartbeat({ kind: found.kind, id: found.id, leaseId: found.leaseId });
    return renewed.ok ? ok(found) : renewed;
  }
}
