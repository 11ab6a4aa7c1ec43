// Watch RPCs over MetadataStore.watch, following watch.proto: reset(INITIAL) + snapshot updates +
// snapshot_complete, or changes after resume_revision, or reset(COMPACTED) + a fresh snapshot.
// Deletes carry ids: they come from the key's previous value (etcd prev_kv), so a stream resumed
// from a revision can name what was deleted while it was away.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { tenantId } from '@stratus/metadata-model';
import type { MetadataStore, NodeRegistration, ResourceEvent, StoredAcl, StoredApiKey, Tenant, Topic, TopicPartitions, WatchTarget } from '@stratus/metadata-store';
import { apiKeyToProto, kindOfRole, nodeToProto, partitionToProto, tenantToProto, topicIdToBytes, topicToProto } from '../convert';
import { toGrpcError } from '../rpc';
import { storedAclToProto } from './acls';

const SNAPSHOT_CHUNK = 500;

interface Family<T, Up, Del> {
  target: WatchTarget;
  keep?: (value: T) => boolean;
  upserts: (key: string, value: T, revision: bigint, createRevision: bigint) => Up[];
  /** Ids to report as deleted for a key, from the value it held before. */
  deletes: (key: string, previous: T | undefined) => Del[];
  message: (revision: bigint, event: NonNullable<metadataV1.WatchTopicsResponse['event']> | { $case: 'updates'; value: { upserted: Up[]; deleted: Del[] } }) => unknown;
}

function serve<T, Up, Del>(store: MetadataStore, call: ServerWritableStream<{ resumeRevision: bigint }, unknown>, family: Family<T, Up, Del>): void {
  let lastSent = 0n;
  let lastWriteAt = Date.now();
  const send = (revision: bigint, event: Parameters<Family<T, Up, Del>['message']>[1]) => {
    if (call.cancelled) return;
    if (revision > lastSent) lastSent = revision;
    lastWriteAt = Date.now();
    call.write(family.message(revision, event));
  };
  const onEvent = (e: ResourceEvent<T>): void => {
    if (e.type === 'snapshot') {
      const reason = e.reason === 'initial' ? metadataV1.WatchResetReason.INITIAL : metadataV1.WatchResetReason.COMPACTED;
      send(e.revision, { $case: 'reset', value: { reason } });
      const items = [...e.items].filter(([, v]) => family.keep?.(v) ?? true);
      for (let i = 0; i < items.length; i += SNAPSHOT_CHUNK) {
        const upserted = items.slice(i, i + SNAPSHOT_CHUNK).flatMap(([k, v]) => family.upserts(k, v, e.revision, e.createRevisions.get(k) ?? 0n));
        send(e.revision, { $case: 'updates', value: { upserted, deleted: [] } });
      }
      send(e.revision, { $case: 'snapshotComplete', value: {} });
    } else if (e.type === 'put') {
      if (family.keep?.(e.value) ?? true) send(e.revision, { $case: 'updates', value: { upserted: family.upserts(e.key, e.value, e.revision, e.createRevision), deleted: [] } });
    } else {
      const deleted = family.deletes(e.key, e.previous);
      if (deleted.length > 0) send(e.revision, { $case: 'updates', value: { upserted: [], deleted } });
    }
  };
  const resume = call.request.resumeRevision > 0n ? { fromRevision: call.request.resumeRevision + 1n } : {};
  store.watch(family.target, resume, onEvent as never).then(
    (handle) => {
      // Idle streams get `progress` (watch.proto) from the store's one shared clock once the
      // revision moved past what they last sent, so a client can prove its cache current
      // (catch-up) although the writes since were outside its range; no per-stream timer.
      const unregister = store.watchProgress.register({
        handle,
        lastSentAt: () => lastWriteAt,
        onProgress: (revision) => {
          if (revision > lastSent) send(revision, { $case: 'progress', value: {} });
        },
      });
      const stop = () => {
        unregister();
        void handle.cancel();
      };
      call.on('cancelled', stop);
      call.on('close', stop);
      if (call.cancelled) stop();
    },
    (err: unknown) => call.emit('error', toGrpcError(err)),
  );
}

const lastSegment = (key: string) => key.slice(key.lastIndexOf('/') + 1);

export function watchHandlers(store: MetadataStore) {
  return {
    watchTenants: (call: ServerWritableStream<metadataV1.WatchTenantsRequest, metadataV1.WatchTenantsResponse>) =>
      serve<Tenant, metadataV1.Tenant, { value: string }>(store, call as never, {
        target: { kind: 'tenants' },
        keep: (t) => !call.request.cell || t.cell === call.request.cell,
        upserts: (_k, t, rev) => [tenantToProto(t, rev)],
        deletes: (k) => [{ value: lastSegment(k) }],
        message: (revision, event) => metadataV1.WatchTenantsResponse.fromPartial({ revision, event: event as never }),
      }),
    watchTopics: (call: ServerWritableStream<metadataV1.WatchTopicsRequest, metadataV1.WatchTopicsResponse>) => {
      const tenant = call.request.tenantId?.value;
      serve<Topic, metadataV1.Topic, { value: Buffer }>(store, call as never, {
        target: { kind: 'topics', tenantId: tenant ? tenantId(tenant) : undefined },
        upserts: (_k, t, rev) => [topicToProto(t, rev)],
        deletes: (_k, previous) => (previous ? [{ value: topicIdToBytes(previous.topicId) }] : []),
        message: (revision, event) => metadataV1.WatchTopicsResponse.fromPartial({ revision, event: event as never }),
      });
    },
    watchPartitions: (call: ServerWritableStream<metadataV1.WatchPartitionsRequest, metadataV1.WatchPartitionsResponse>) => {
      const sent = new Map<string, { topicId: string; indexes: number[] }>();
      const tenant = call.request.tenantId?.value;
      serve<TopicPartitions, metadataV1.PartitionAssignment, { topicId: { value: Buffer }; partition: number }>(store, call as never, {
        target: { kind: 'partitions', tenantId: tenant ? tenantId(tenant) : undefined },
        upserts: (k, doc, rev) => {
          const leader = call.request.leaderNodeId;
          // With a leader filter, partitions this stream sent before are sent again when they
          // move away, so the client sees the new leader rather than a stale entry.
          const before = new Set(sent.get(k)?.indexes ?? []);
          const parts = doc.partitions.filter((p) => !leader || p.leader === leader || before.has(p.index));
          sent.set(k, { topicId: doc.topicId, indexes: parts.filter((p) => !leader || p.leader === leader).map((p) => p.index) });
          return parts.map((p) => partitionToProto(doc.tenantId, doc.topicId, p, rev));
        },
        deletes: (k, previous) => {
          sent.delete(k);
          const leader = call.request.leaderNodeId;
          const gone = previous ? previous.partitions.filter((p) => !leader || p.leader === leader) : [];
          return previous ? gone.map((p) => ({ topicId: { value: topicIdToBytes(previous.topicId) }, partition: p.index })) : [];
        },
        message: (revision, event) => metadataV1.WatchPartitionsResponse.fromPartial({ revision, event: event as never }),
      });
    },
    watchNodes: (call: ServerWritableStream<metadataV1.WatchNodesRequest, metadataV1.WatchNodesResponse>) => {
      const kind = call.request.role === 0 ? undefined : kindOfRole(call.request.role);
      serve<NodeRegistration, metadataV1.NodeRegistration, string>(store, call as never, {
        target: { kind: 'nodes', nodeKind: kind },
        keep: (n) => !call.request.cell || n.cell === call.request.cell,
        upserts: (_k, n, rev, created) => [nodeToProto({ ...n, generation: created }, rev)],
        deletes: (k) => [lastSegment(k)],
        message: (revision, event) => metadataV1.WatchNodesResponse.fromPartial({ revision, event: event as never }),
      });
    },
    watchApiKeys: (call: ServerWritableStream<metadataV1.WatchApiKeysRequest, metadataV1.WatchApiKeysResponse>) => {
      const tenant = call.request.tenantId?.value;
      // Keys of all tenants share one prefix, so the tenant filter is applied here; a revoked key
      // is deleted from the store and reported by id, from the value it held before.
      serve<StoredApiKey, metadataV1.ApiKey, string>(store, call as never, {
        target: { kind: 'apiKeys' },
        keep: (k) => !tenant || k.tenantId === tenant,
        // apiKeyToProto copies only public fields: hashes and SCRAM credentials never leave.
        upserts: (_k, key) => [apiKeyToProto(key)],
        deletes: (k, previous) => (!tenant || previous?.tenantId === tenant ? [lastSegment(k)] : []),
        message: (revision, event) => metadataV1.WatchApiKeysResponse.fromPartial({ revision, event: event as never }),
      });
    },
    watchAcls: (call: ServerWritableStream<metadataV1.WatchAclsRequest, metadataV1.WatchAclsResponse>) => {
      const tenant = call.request.tenantId?.value;
      // Scoped by key prefix when a tenant is named; a deleted binding is reported by its id.
      serve<StoredAcl, metadataV1.TenantAclBinding, string>(store, call as never, {
        target: { kind: 'acls', tenantId: tenant ? tenantId(tenant) : undefined },
        upserts: (_k, a) => [storedAclToProto(a)],
        deletes: (k) => [lastSegment(k)],
        message: (revision, event) => metadataV1.WatchAclsResponse.fromPartial({ revision, event: event as never }),
      });
    },
  };
}
