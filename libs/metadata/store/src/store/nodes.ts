// Node registrations (routers, brokers, replication and tiered-storage nodes). Each registration
// is a key held by an etcd lease: when a node stops heartbeating, etcd deletes the key after the
// TTL and every watcher (the controller first) learns the node is gone.
import { fail, isValidIdSegment, nodeId, ok, type CellId, type NodeId, type Result } from '@stratus/metadata-model';
import { NODE_KINDS, type NodeKind } from '../keys/keyspace';
import type { KvCompare, KvOp, LeaseId } from '../kv/kv';
import { encode } from './codec';
import { CONFLICT, readJson, retryOnConflict, versioned, type StoreContext } from './context';
import type { KafkaListenerRecord, NodeRegistration, RegisteredNode } from './types';

export interface RegisterNodeRequest {
  readonly id: string;
  readonly kind: NodeKind;
  readonly address: string;
  readonly az: string;
  readonly cell: CellId;
  readonly ttlSeconds: number;
  /** Routers: listeners advertised to Kafka clients. */
  readonly kafkaListeners?: readonly KafkaListenerRecord[];
  readonly version?: string;
}

export const MIN_NODE_TTL_SECONDS = 1;
export const MAX_NODE_TTL_SECONDS = 300;
/** 0 is proto3's "unset", so the first router gets 1. */
export const FIRST_KAFKA_NODE_ID = 1;
const MAX_KAFKA_NODE_ID = 2 ** 31 - 1;

function listenerProblem(listeners: readonly KafkaListenerRecord[]): string | undefined {
  for (const l of listeners) {
    if (l.host.length === 0 || !Number.isInteger(l.port) || l.port < 1 || l.port > 65535) {
      return `Kafka listener ${JSON.stringify(l.name)} needs a host and a port in 1..65535`;
    }
  }
  return undefined;
}

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
    const listenersWrong = listenerProblem(request.kafkaListeners ?? []);
    if (listenersWrong) return fail('INVALID_REQUEST', listenersWrong);
    const leaseId = await this.ctx.kv.grantLease(request.ttlSeconds);
    const id = nodeId(request.id);
    const key = this.ctx.keys.node(request.kind, id);
    try {
      const result = await retryOnConflict(async (): Promise<Result<RegisteredNode> | typeof CONFLICT> => {
        const idPlan = request.kind === 'router' ? await this.planKafkaNodeId(id) : undefined;
        if (idPlan && !idPlan.ok) return idPlan;
        const plan = idPlan?.value;
        const registration: NodeRegistration = {
          id,
          kind: request.kind,
          address: request.address,
          az: request.az,
          cell: request.cell,
          leaseId,
          ttlSeconds: request.ttlSeconds,
          ...(plan ? { kafkaNodeId: plan.kafkaNodeId } : {}),
          ...(request.kafkaListeners && request.kafkaListeners.length > 0 ? { kafkaListeners: request.kafkaListeners } : {}),
          ...(request.version ? { version: request.version } : {}),
          registeredAtMs: this.ctx.now(),
        };
        // One transaction: the registration and (first time only) the router's Kafka node id and
        // the counter, so an id is never handed out twice nor used up by a refused registration.
        const txn = await this.ctx.kv.txn(
          [{ key, target: 'createRevision', op: '==', value: 0n }, ...(plan?.compares ?? [])],
          [{ type: 'put', key, value: encode(registration), lease: leaseId }, ...(plan?.ops ?? [])],
        );
        // The key was created by this transaction: its create revision is the registration's generation.
        if (txn.succeeded) return ok({ ...registration, generation: txn.revision });
        if (await this.ctx.kv.get(key)) return fail('DUPLICATE_RESOURCE', `A live ${request.kind} registration with id ${request.id} exists`);
        return CONFLICT; // another router took the counter value meanwhile
      });
      if (!result.ok) await this.ctx.kv.revokeLease(leaseId);
      return result;
    } catch (err) {
      await this.ctx.kv.revokeLease(leaseId).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The Kafka node id of a router: the one recorded for its node id, or the next from the
   * counter (kept under the versioned prefix, never reused), with the compares that make the
   * registration transaction fail if another registration took it meanwhile.
   */
  private async planKafkaNodeId(id: NodeId): Promise<Result<{ kafkaNodeId: number; compares: KvCompare[]; ops: KvOp[] }>> {
    const mapKey = this.ctx.keys.kafkaNodeId(id);
    const nextKey = this.ctx.keys.kafkaNodeIdNext();
    const [mine, next] = await Promise.all([this.ctx.kv.get(mapKey), this.ctx.kv.get(nextKey)]);
    if (mine) {
      return ok({ kafkaNodeId: Number(mine.value.toString('utf8')), compares: [{ key: mapKey, target: 'modRevision', op: '==', value: mine.modRevision }], ops: [] });
    }
    const kafkaNodeId = next ? Number(next.value.toString('utf8')) : FIRST_KAFKA_NODE_ID;
    if (!Number.isSafeInteger(kafkaNodeId) || kafkaNodeId > MAX_KAFKA_NODE_ID) return fail('INVALID_REQUEST', 'Kafka node ids are exhausted');
    return ok({
      kafkaNodeId,
      compares: [
        { key: mapKey, target: 'createRevision', op: '==', value: 0n },
        { key: nextKey, target: 'modRevision', op: '==', value: next?.modRevision ?? 0n },
      ],
      ops: [
        { type: 'put', key: mapKey, value: String(kafkaNodeId) },
        { type: 'put', key: nextKey, value: String(kafkaNodeId + 1) },
      ],
    });
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
    // `found` was just read with its lease: renew that lease directly rather than through
    // heartbeat(), which would read the same key again (one etcd range per heartbeat saved).
    if (await this.ctx.kv.keepAliveOnce(found.leaseId)) return ok(found);
    return fail('RESOURCE_NOT_FOUND', `No live ${found.kind} registration ${found.id} with lease ${found.leaseId}`);
  }
}
