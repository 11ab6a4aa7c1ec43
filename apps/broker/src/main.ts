// Entry point of the broker service: wiring only. Leadership and the BrokerService live in
// @stratus/broker-server; membership and watches in @stratus/metadata-client; replica ports in
// @stratus/broker-replica-client.
import { hostname } from 'node:os';
import { grpcOffsetsTopicAdmin, startGroupCoordination } from '@stratus/broker-coordinator';
import { ReplicationClientPool, TieredStorageClient, replicaPartition } from '@stratus/broker-replica-client';
import { LeadershipManager, ProducerIdAllocator, assignmentsOf, createBrokerService, topicViewOf, topicHexOf } from '@stratus/broker-server';
import { brokerV1, commonV1, metadataV1 } from '@stratus/contracts';
import { NodeMembership, watchNodes, watchPartitions, watchTopics } from '@stratus/metadata-client';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { brokerConfigSchema } from './config';
import { epochBumper } from './epoch-bump';

runService({
  name: 'broker',
  configSchema: brokerConfigSchema,
  setup: (context) => {
    const { config, logger } = context;
    const metadata = createGrpcClient(metadataV1.MetadataServiceClient, config.metadataAddress, {
      maxReceiveMessageBytes: config.grpcMaxMessageBytes,
      maxSendMessageBytes: config.grpcMaxMessageBytes,
    });
    const watchLog = logger.child({ component: 'metadata-watch' });
    const topics = watchTopics(metadata, { logger: watchLog, cell: config.cell });
    // Only the partitions this broker leads: the server filters, so a cell of thousands of
    // partitions costs each broker only its own share.
    const assignments = watchPartitions(metadata, { logger: watchLog, leaderNodeId: config.nodeId });
    const replicationNodes = watchNodes(metadata, { logger: watchLog, role: commonV1.NodeRole.REPLICATION });

    const pool = new ReplicationClientPool({
      resolve: (nodeId) => replicationNodes.get(nodeId)?.node?.grpcAddress || undefined,
      leaderNodeId: config.nodeId,
      callTimeoutMs: config.replicaCallTimeoutMs,
      appendTimeoutMs: config.replicaAppendTimeoutMs,
      repairTimeoutMs: config.replicaRepairTimeoutMs,
      grpc: { maxReceiveMessageBytes: config.grpcMaxMessageBytes, maxSendMessageBytes: config.grpcMaxMessageBytes },
    });
    // Reads below the hot tier go to tiered storage (docs/tiered-storage.md "Reads through the broker").
    const tieredNodes = watchNodes(metadata, { logger: watchLog, role: commonV1.NodeRole.TIERED_STORAGE });
    const tiered = new TieredStorageClient({
      nodes: () => [...tieredNodes.values()].map((r) => ({ nodeId: r.node?.nodeId ?? '', address: r.node?.grpcAddress ?? '' })),
      grpc: { maxReceiveMessageBytes: config.grpcMaxMessageBytes, maxSendMessageBytes: config.grpcMaxMessageBytes },
    });
    const topicLookup = (hex: string) => topicViewOf(topics.get(hex));
    const leadership = new LeadershipManager({
      nodeId: config.nodeId,
      replicaPorts: (nodeId, partition) => pool.portFor(nodeId, replicaPartition(partition.topicId?.value ?? new Uint8Array(0), partition.partition)),
      topics: topicLookup,
      log: logger.child({ component: 'leadership' }),
      tailCacheBytes: config.tailCacheBytesPerPartition,
      // A failed recovery asks metadata for a new epoch (docs/metadata.md, BumpLeaderEpoch).
      requestNewEpoch: epochBumper({ metadata, nodeId: config.nodeId, timeoutMs: config.metadataCallTimeoutMs }),
    });
    const resync = (): void => leadership.sync(assignmentsOf(assignments.values()));
    assignments.onChange(resync);
    // Topic configs shape leaders at recovery; a topic arriving after its assignment is picked up here.
    topics.onChange(resync);

    let membership: NodeMembership | undefined;
    const producerIds = new ProducerIdAllocator({
      allocateBlock: async () => {
        const generation = membership?.generation;
        if (generation === undefined) throw new Error('not registered with metadata');
        const request = metadataV1.AllocateProducerIdsRequest.fromPartial({ nodeId: config.nodeId, generation, count: config.producerIdBlockSize });
        const res = await unaryCall(metadata, metadata.allocateProducerIds, request, { timeoutMs: config.metadataCallTimeoutMs });
        return { first: res.firstProducerId, count: res.count };
      },
    });

    // --- Group coordinator (issue 7; libs/broker/coordinator, docs/groups.md): the cell's offsets
    // topic is ensured through metadata (retried until the cell can place it), the offsets
    // partitions this broker leads are replayed into group coordinators, and the group APIs arrive
    // as KafkaPassthrough (COORDINATOR_NOT_AVAILABLE until the topic is known). ---
    const groups = startGroupCoordination({
      directory: leadership,
      admin: grpcOffsetsTopicAdmin(metadata, { timeoutMs: config.metadataCallTimeoutMs }),
      cell: config.cell,
      topics: () => topics.values(),
      log: logger.child({ component: 'group-coordinator' }),
    });
    context.onShutdown('group-coordinator', () => groups.close());
    // --- end of group coordinator ---

    const replicaReads = context.metrics.counter<'locality'>({
      name: 'stratus_broker_fetch_replica_reads_total',
      help: 'Fetch reads served by a replication node (tail cache misses), by locality to the client AZ: same_az, cross_az, unknown_az',
      labelNames: ['locality'],
    });
    context.addGrpcService(
      brokerV1.BrokerServiceService,
      createBrokerService({
        directory: leadership,
        topics: topicLookup,
        producerIds,
        passthrough: groups.passthrough,
        log: logger.child({ component: 'broker-service' }),
        defaultTimeoutMs: config.requestTimeoutMs,
        produceStreamBytes: config.produceStreamMemoryBytes,
        fetchStreamBytes: config.fetchStreamMemoryBytes,
        maxFetchResponseBytes: config.fetchMaxResponseBytes,
        tier: tiered,
        // Follower fetching (KIP-392): replica reads go to the replication node in the client's AZ first.
        replicaLocality: {
          zoneOf: (nodeId) => replicationNodes.get(nodeId)?.node?.placement?.availabilityZone || undefined,
          onRead: (locality) => replicaReads.inc({ locality }),
        },
      }),
    );

    // Register once the gRPC port is bound (it may be 0 = any free port).
    context.onStarted('metadata-membership', (ports) => {
      if (context.shutdownSignal.aborted) return;
      const host = config.bindHost === '0.0.0.0' || config.bindHost === '::' ? hostname() : config.bindHost;
      membership = NodeMembership.start({
        client: metadata,
        logger: logger.child({ component: 'membership' }),
        node: { nodeId: config.nodeId, role: commonV1.NodeRole.BROKER, availabilityZone: config.az, cell: config.cell, grpcAddress: config.advertisedGrpcAddress ?? `${host}:${ports.grpcPort}` },
        leaseTtlMs: config.leaseTtlMs,
        health: () => ({ health: metadataV1.NodeHealth.READY, load: metadataV1.NodeLoad.fromPartial({ partitionCount: leadership.served().length }) }),
      });
      // Lease lost: the controller may already be moving our partitions; stop serving all at once.
      membership.onLost((event) => {
        logger.warn({ generation: String(event.generation), reason: event.reason, detail: event.detail }, 'lease lost; stopped serving every partition');
        leadership.setGeneration(undefined);
      });
      membership.onRegistered((registration) => {
        logger.info({ generation: String(registration.generation) }, 'registered with metadata');
        leadership.setGeneration(registration.generation);
        resync();
      });
    });

    leadership.onLeadershipChange((change) =>
      logger.debug({ partition: `${topicHexOf(change.partition)}/${change.partition.partition}`, kind: change.kind, epoch: change.epoch }, 'leadership change'),
    );
    context.addReadinessCheck('metadata-registration', () => membership?.isRegistered === true);
    context.addReadinessCheck('metadata-watches', () => topics.isReady && assignments.isReady && replicationNodes.isReady);

    context.onShutdown('metadata-client', () => metadata.close());
    context.onShutdown('metadata-watches', () => {
      topics.close();
      assignments.close();
      replicationNodes.close();
      tieredNodes.close();
    });
    context.onShutdown('tiered-storage-client', () => tiered.close());
    context.onShutdown('replication-clients', () => pool.close());
    // Stop leading before deregistering so no partition is served after the lease is given up.
    context.onShutdown('membership', async () => {
      leadership.close();
      await membership?.close();
    });
  },
});
