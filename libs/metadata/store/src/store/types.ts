// Records kept in etcd (as JSON). 64-bit values are decimal strings in JSON and bigint in code.
import type {
  ApiKeyId,
  BrokerId,
  CellId,
  Epoch,
  NodeId,
  PlainHash,
  ScramCredential,
  ScramMechanism,
  TenantId,
  TopicConfigs,
  TopicId,
} from '@stratus/metadata-model';
import type { LeaseId } from '../kv/kv';
import type { NodeKind } from '../keys/keyspace';

export interface Cell {
  readonly id: CellId;
  /** Availability zones the cell spans (3 for a full cell). */
  readonly azs: readonly string[];
}

export interface TenantQuotas {
  readonly produceBytesPerSecond: number;
  readonly fetchBytesPerSecond: number;
  readonly requestsPerSecond: number;
  readonly maxConnections: number;
  readonly connectionsPerSecond: number;
  readonly storageBytes: number;
  /**
   * Partition creations + deletions per second (KIP-599 controller mutation quota). Optional
   * because tenant records written before it existed lack it; readers use effectiveQuotas().
   */
  readonly partitionMutationsPerSecond?: number;
}

export interface TenantLimits {
  readonly maxPartitions: number;
  readonly maxTopics: number;
}

/** Quotas and limits as an operator sets them: an absent field means "the cell default". */
export type TenantQuotaSettings = Partial<Required<TenantQuotas> & TenantLimits>;

/** SUSPENDED: every key of the tenant fails authentication; data is kept. */
export type TenantState = 'active' | 'suspended';

export interface Tenant {
  readonly id: TenantId;
  readonly name: string;
  readonly cell: CellId;
  /** Effective values (defaults filled in at the time they were set). */
  readonly quotas: TenantQuotas;
  readonly limits: TenantLimits;
  readonly createdAtMs: number;
  /** What the operator set explicitly; absent in records older than UpdateTenant/SetQuotas. */
  readonly configured?: TenantQuotaSettings;
  /** Absent means active. */
  readonly state?: TenantState;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface TenantUsage {
  readonly topics: number;
  readonly partitions: number;
}

export interface ApiKeyInfo {
  readonly id: ApiKeyId;
  readonly tenantId: TenantId;
  readonly description: string;
  readonly createdAtMs: number;
  /** Bypasses the tenant's ACLs; absent in keys stored before ACLs existed (= false). */
  readonly superUser?: boolean;
}

/** What etcd holds for an API key: hashes and SCRAM credentials only, never the secret. */
export interface StoredApiKey extends ApiKeyInfo {
  readonly plain: PlainHash;
  /** A mechanism may be missing: AlterUserScramCredentials (KIP-554) can delete one. */
  readonly scram: Readonly<Partial<Record<ScramMechanism, ScramCredential>>>;
}

export interface Topic {
  readonly tenantId: TenantId;
  readonly name: string;
  readonly topicId: TopicId;
  readonly partitionCount: number;
  readonly configs: TopicConfigs;
  readonly createdAtMs: number;
}

export interface PartitionState {
  readonly index: number;
  /** null while no broker of the cell is alive. */
  readonly leader: BrokerId | null;
  readonly leaderEpoch: Epoch;
  /** Registration generation of the leader when it was made leader; null while leaderless. */
  readonly leaderGeneration: bigint | null;
  readonly replicas: readonly NodeId[];
}

/**
 * All partitions of one topic live in one key (as ZooKeeper-era Kafka kept a topic's assignment
 * in one znode): a topic create or a failover move is then a handful of keys, well inside etcd's
 * per-transaction op limit (--max-txn-ops, 128 by default) whatever the partition count.
 */
export interface TopicPartitions {
  readonly tenantId: TenantId;
  readonly topicId: TopicId;
  readonly partitions: readonly PartitionState[];
}

export interface NodeRegistration {
  readonly id: NodeId;
  readonly kind: NodeKind;
  readonly address: string;
  readonly az: string;
  readonly cell: CellId;
  readonly leaseId: LeaseId;
  readonly ttlSeconds: number;
  /**
   * Routers: the int32 broker id Kafka clients see for this router (Metadata responses). Assigned
   * at the first registration of the node id and the same for every later one. Absent for others.
   */
  readonly kafkaNodeId?: number;
  /** Routers: the Kafka listeners peers advertise to clients. */
  readonly kafkaListeners?: readonly KafkaListenerRecord[];
  /** Software version the node reported, for rolling upgrades. */
  readonly version?: string;
  readonly registeredAtMs?: number;
}

export interface KafkaListenerRecord {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly securityProtocol: string;
}

/** A registration as read back: generation = create revision of its key (new per registration). */
export interface RegisteredNode extends NodeRegistration {
  readonly generation: bigint;
}

export interface ProducerIdBlock {
  readonly start: bigint;
  readonly size: number;
}
