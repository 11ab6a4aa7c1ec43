// Entry point of the tiered-storage service: wiring only. The object store, the uploader, retention
// and the read path live in libs/tiered/*; this file gives them configuration, the metadata
// watches, the upload loop, the gRPC service, readiness and the process lifecycle.
import { commonV1, replicationV1, tieredV1 } from '@stratus/contracts';
import { createMetadataClient, watchNodes, watchPartitions, watchTopics } from '@stratus/metadata-client';
import { createGrpcClient } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { openObjectStore } from '@stratus/tiered-object-store';
import { ChunkCache, TieredReader } from '@stratus/tiered-reader';
import { createAuditMetrics, DurabilityAuditor, type AuditTarget } from '@stratus/tiered-audit';
import { applyRetention, deletePartitionData, GrpcSegmentManifest, GrpcSegmentSource, trimPartitionData, uploadPartitionPass, type SegmentAddress } from '@stratus/tiered-uploader';
import { tieredStorageConfigSchema } from './config';
import { registerWithMetadata } from './membership';
import { CachedProbe, probeObjectStore, probeWritableDir } from './probe';
import { buildTargets, ownerOf, type PartitionTarget } from './targets';
import { createTieredService } from './tiered-service';
import { applyLocalRetention, grpcHotLog, localRetentionOf, manifestEnd } from './local-retention';
import { UploadLoop } from './upload-loop';
import { durableLogStart, hotLogState } from './hot-state';
import { TieringStatus } from './tiering-status';
import { TopicDeletions } from './topic-deletion';
import { reapplyTrim, respectingTrims, TrimLedger } from './trim-ledger';

/** Readiness probes touching S3 or the disk run at most this often. */
const PROBE_EVERY_MS = 10_000;

runService({
  name: 'tiered-storage',
  configSchema: tieredStorageConfigSchema,
  setup: async (context) => {
    const { config, logger } = context;
    // Credentials are never in the URL (config refuses them): the AWS SDK default chain applies.
    const store = await openObjectStore(config.objectStoreUrl, {
      onRetry: (info) => logger.warn({ retry: info }, 'object store request retried'),
    });
    context.onShutdown('object-store', () => store.close());
    const cache = await ChunkCache.open({ dir: config.cacheDir, maxBytes: config.cacheMaxBytes });
    logger.info({ scheme: config.objectStoreUrl.slice(0, config.objectStoreUrl.indexOf(':')), cacheDir: config.cacheDir, cacheMaxBytes: config.cacheMaxBytes }, 'object store and chunk cache opened');

    const storeProbe = new CachedProbe(() => probeObjectStore(store), { everyMs: PROBE_EVERY_MS, onFailure: (err) => logger.warn({ err }, 'object store unreachable') });
    const cacheProbe = new CachedProbe(() => probeWritableDir(config.cacheDir), { everyMs: PROBE_EVERY_MS, onFailure: (err) => logger.warn({ err }, 'chunk cache directory not writable') });
    // First answers before the ready line, so a healthy node is ready at once.
    await Promise.all([storeProbe.refresh(), cacheProbe.refresh()]);
    context.addReadinessCheck('object-store', () => storeProbe.check());
    context.addReadinessCheck('cache-dir', () => cacheProbe.check());

    const metadataAddress = config.metadataAddress;
    if (!metadataAddress) {
      logger.warn({}, 'STRATUS_METADATA_ADDRESS is not set: nothing is uploaded, Fetch answers NOT_READY and this node is not registered');
      context.addGrpcService(tieredV1.TieredStorageServiceService, createTieredService({ reader: undefined, logger }));
      return;
    }
    const client = createMetadataClient(metadataAddress, { maxReceiveMessageBytes: config.grpcMaxMessageBytes, maxSendMessageBytes: config.grpcMaxMessageBytes });
    context.onShutdown('metadata-client', () => client.close());
    const manifest = new GrpcSegmentManifest(client);
    const reader = new TieredReader({ manifest, store, cache });
    // Tiering lag per partition (metrics, GetTieringStatus) and the durability audit (issue 9).
    const tiering = new TieringStatus({ metrics: context.metrics });
    const auditor = new DurabilityAuditor({
      targets: () => currentTargets().map((t): AuditTarget => ({ key: t.key, address: t.address, retention: t.retention, sources: t.replicas.map(replicaSource), hotState: () => hotLogState(t.replicas.map(replicaClient), t.address) })),
      manifest,
      store,
      logger,
      metrics: createAuditMetrics(context.metrics),
      intervalMs: config.auditIntervalMs,
      verifyBytesPerSecond: config.auditVerifyBytesPerSecond,
    });
    const keyOf = (a: Pick<SegmentAddress, 'topicId' | 'partition'>) => `${Buffer.from(a.topicId).toString('hex')}/${a.partition}`;
    // Log starts set by DeleteRecords (TrimPartition from the brokers): reads never go below them,
    // and every retention round re-applies them (trim-ledger.ts).
    const trims = new TrimLedger();
    const deletion = {
      deletePartition: async (address: SegmentAddress) => {
        const deleted = await deletePartitionData({ address, manifest, store });
        auditor.noteDeleted(keyOf(address));
        tiering.forget(keyOf(address));
        trims.forget(keyOf(address));
        return deleted;
      },
      trimPartition: (address: SegmentAddress, logStartOffset: bigint) => {
        // Told first, so an audit pass running meanwhile does not take the trim for a loss, and
        // reads stop below the start before any object goes.
        auditor.noteTrim(keyOf(address), logStartOffset);
        trims.note(keyOf(address), logStartOffset);
        return trimPartitionData({ address, manifest, store, logStartOffset });
      },
    };
    const trimmedReader = respectingTrims(reader, trims, (r) => keyOf(r.partition));
    const readPort = { fetch: trimmedReader.fetch, offsetForTimestamp: reader.offsetForTimestamp.bind(reader) };
    context.addGrpcService(tieredV1.TieredStorageServiceService, createTieredService({ reader: readPort, logger, tiering, audit: auditor, deletion }));

    const watchOptions = { logger, cell: config.cell };
    const partitions = watchPartitions(client, watchOptions);
    const nodes = watchNodes(client, { ...watchOptions, role: commonV1.NodeRole.REPLICATION });
    const topics = watchTopics(client, watchOptions);
    // Peers, to split partitions between tiered-storage nodes (one uploader per partition).
    const peers = watchNodes(client, { ...watchOptions, role: commonV1.NodeRole.TIERED_STORAGE });
    const mine = (key: string) => {
      const live = new Set([config.nodeId, ...[...peers.values()].map((n) => n.node?.nodeId ?? '').filter((id) => id !== '')]);
      return ownerOf(key, live) === config.nodeId;
    };
    const replicaClients = new Map<string, replicationV1.ReplicationServiceClient>();
    const replicaClient = (address: string) => {
      let c = replicaClients.get(address);
      if (!c) {
        c = createGrpcClient(replicationV1.ReplicationServiceClient, address, { maxReceiveMessageBytes: config.grpcMaxMessageBytes, maxSendMessageBytes: config.grpcMaxMessageBytes });
        replicaClients.set(address, c);
      }
      return c;
    };
    const replicaSource = (address: string) => new GrpcSegmentSource(replicaClient(address));
    // Until all four caches hold a first snapshot, a partial view could skip partitions; wait.
    const currentTargets = () =>
      partitions.isReady && nodes.isReady && topics.isReady && peers.isReady ? buildTargets({ partitions: partitions.values(), nodes, topics, az: config.az }).filter((t) => mine(t.key)) : [];
    // Hot-tier retention after the upload, bounded by what the manifest holds (local-retention.ts).
    const localRetention = async (target: PartitionTarget) => {
      const { segments } = await manifest.list(target.address);
      const policy = localRetentionOf(topics.get(target.key.slice(0, target.key.indexOf('/')))?.configs ?? {}, target.retention);
      const result = await applyLocalRetention({ replicas: target.replicas.map((a) => grpcHotLog(replicaClient(a), target.address)), uploadedEnd: manifestEnd(segments), policy, now: Date.now() });
      result.replicas.forEach((r, i) => {
        if ('error' in r) logger.warn({ partition: target.key, replica: target.replicas[i], err: r.error }, 'local retention failed; retried next round');
        else if (r.segmentsDeleted > 0) logger.info({ partition: target.key, replica: target.replicas[i], deleted: r.segmentsDeleted, localLogStart: r.localLogStart.toString() }, 'hot segments dropped by local retention');
      });
    };
    const loop = new UploadLoop({
      concurrency: config.uploadConcurrency,
      intervalMs: config.uploadIntervalMs,
      logger,
      onPassEnded: (target, outcome) => tiering.passEnded(target, outcome),
      ports: {
        targets: () => {
          const targets = currentTargets();
          // Lag of partitions no longer tiered here (deleted, moved to another node) stops being reported.
          if (partitions.isReady && peers.isReady) tiering.retain(new Set(targets.map((t) => t.key)));
          return targets;
        },
        uploadPass: (target, address) =>
          uploadPartitionPass({ address: target.address, source: replicaSource(address), manifest, store, maxSegments: config.uploadMaxSegmentsPerPass, onLag: (lag) => tiering.updateLag(target, lag) }),
        // Hot bytes are not known here yet: counting them as 0 deletes less, never more (retention.bytes).
        retention: async (target) => {
          const result = await applyRetention({ partition: target.address, manifest, store, policy: target.retention });
          // The durable start the replicas persisted (hot-state.ts): after a restart of this node,
          // or a trim the broker never got to send, reads stop below it and the trim runs now.
          const durable = await durableLogStart(target.replicas.map(replicaClient), target.address);
          if (durable !== undefined) trims.note(target.key, durable);
          // DeleteRecords seen here: entries an upload pass added below the start meanwhile, or a
          // trim interrupted half way, are finished now.
          const trimmed = await reapplyTrim(target.key, trims, (logStartOffset) => deletion.trimPartition(target.address, logStartOffset));
          if (trimmed > 0) logger.info({ partition: target.key, deleted: trimmed }, 'tiered segments below a DeleteRecords log start deleted');
          await localRetention(target);
          return result;
        },
      },
    });
    loop.start();
    auditor.start();
    // Topic deletion: the owner of each deleted partition removes its objects (topic-deletion.ts).
    const deletions = new TopicDeletions({
      partitions,
      topicExists: (hex) => topics.get(hex) !== undefined,
      mine,
      busy: (key) => loop.inFlight.includes(key),
      deleteData: deletion.deletePartition,
      onDeleted: () => undefined,
      logger,
    });
    const deletionTimer = setInterval(() => void deletions.sweep(), Math.min(config.uploadIntervalMs, 10_000));
    deletionTimer.unref();
    registerWithMetadata(context, { client, isReady: () => storeProbe.check() && cacheProbe.check(), logger });
    // Reverse order at shutdown: the loop stops first, then watches and replica channels.
    context.onShutdown('replica-clients', () => {
      for (const c of replicaClients.values()) c.close();
    });
    context.onShutdown('metadata-watches', () => {
      partitions.close();
      nodes.close();
      topics.close();
      peers.close();
    });
    context.onShutdown('upload-loop', () => loop.stop());
    context.onShutdown('durability-audit', () => auditor.stop());
    // Pending deletions not done by now are not lost for good: the objects stay until the topic's
    // partitions are deleted again by hand (docs/tiered-storage.md "Not yet").
    context.onShutdown('topic-deletions', () => {
      clearInterval(deletionTimer);
      deletions.close();
    });
    context.shutdownSignal.addEventListener(
      'abort',
      () => {
        void loop.stop();
        void auditor.stop();
      },
      { once: true },
    );
  },
});
