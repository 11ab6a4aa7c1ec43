// Entry point of the replication service: wiring only. The partition logs, the storage health
// manager and the gRPC service live in libs/replication/*; this file gives them a data directory,
// the process lifecycle, readiness and metrics.
import { replicationV1 } from '@stratus/contracts';
import {
  DEFAULT_PARTITION_LOG_CONFIG,
  NodeFileIo,
  ReplicaStore,
  StorageHealthManager,
  type FlushPolicy,
} from '@stratus/replication-partition-log';
import { createReplicationService } from '@stratus/replication-server';
import { mkdir } from 'node:fs/promises';
import { EXIT_FAILURE, lockDataDir, runService } from '@stratus/platform-service';
import { replicationConfigSchema, type ReplicationConfig } from './config';
import { registerWithMetadata } from './membership';

function flushPolicyOf(config: ReplicationConfig): FlushPolicy {
  if (config.flushPolicy === 'interval') return { kind: 'interval', intervalMs: config.flushIntervalMs };
  return { kind: config.flushPolicy };
}

runService({
  name: 'replication',
  configSchema: replicationConfigSchema,
  setup: async (context) => {
    const { config, logger } = context;
    const health = new StorageHealthManager({
      stallThresholdMs: config.storageStallMs,
      fatalAfterMs: config.storageFatalMs,
      checkIntervalMs: Math.min(1_000, config.storageStallMs),
      log: logger,
      onReadinessChange: (ready, reason) => logger.warn({ ready, reason }, 'storage readiness changed'),
      // A disk that stays stalled will not recover in-process: exit so Kubernetes restarts the pod,
      // and the controller replaces the node in its replica sets if it stays degraded.
      onFatal: (reason) => {
        logger.fatal({ reason }, 'storage stalled past the fatal threshold; exiting');
        process.exit(EXIT_FAILURE);
      },
    });
    // Before anything touches the segments: a second process on the same directory refuses to start.
    await mkdir(config.dataDir, { recursive: true });
    const lock = await lockDataDir(config.dataDir);
    context.onShutdown('data-dir-lock', () => lock.release());
    const store = await ReplicaStore.open({
      dataDir: config.dataDir,
      io: new NodeFileIo(),
      config: { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: config.segmentBytes, segmentMs: config.segmentMs, flush: flushPolicyOf(config) },
      health,
      log: logger,
      onCorruption: (report) => logger.error({ report }, 'corrupt bytes found in a segment; not served'),
      onRecovered: (key, report) => logger.info({ partition: key, report }, 'partition recovered'),
    });
    health.start();
    context.addGrpcService(replicationV1.ReplicationServiceService, createReplicationService({ store, log: logger }));
    context.addReadinessCheck('storage', () => health.isReady());
    registerWithMetadata(context, { isStorageReady: () => health.isReady(), logger });
    context.onShutdown('replica-store', () => store.close());
    context.onShutdown('storage-health', () => health.stop());
  },
});
