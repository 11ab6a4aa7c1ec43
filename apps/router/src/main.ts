// Entry point of the router service: wiring only. The Kafka listener and the credential sources
// live in libs/router/kafka-server; this file connects them to config and the process lifecycle.
import { metadataV1 } from '@stratus/contracts';
import { watchAcls, watchApiKeys } from '@stratus/metadata-client';
import { createGrpcClient } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { WatchedAclAuthority, aclHandlers, guardHandlers } from '@stratus/router-acls';
import { adminHandlers } from '@stratus/router-admin-handlers';
import { BrokerConnections, dataPathHandlers } from '@stratus/router-broker-routing';
import { groupHandlers, offsetsTopicResolver } from '@stratus/router-group-routing';
import { RouterQuotas, limitsFromTenants } from '@stratus/router-quotas';
import {
  CachingCredentialSource,
  MetadataCredentialSource,
  kafkaListenerOptionsFromConfig,
  startKafkaListener,
  watchRevocations,
} from '@stratus/router-kafka-server';
import { startRouterCluster } from './cluster';
import { routerConfigSchema } from './config';

runService({
  name: 'router',
  configSchema: routerConfigSchema,
  setup: async (context) => {
    const { config, logger } = context;
    // The channel connects lazily and reconnects by itself, so an unreachable metadata service at
    // start-up does not stop the router from starting.
    const metadata = createGrpcClient(metadataV1.MetadataServiceClient, config.metadataAddress, {
      maxReceiveMessageBytes: config.grpcMaxMessageBytes,
      maxSendMessageBytes: config.grpcMaxMessageBytes,
    });
    context.onShutdown('metadata-client', () => metadata.close());
    const credentials = new CachingCredentialSource(
      new MetadataCredentialSource({ client: metadata, timeoutMs: config.credentialLookupTimeoutMs }),
      { ttlMs: config.credentialCacheTtlMs },
    );
    // A revoked API key must fail new connections at once, not after the cache TTL.
    const revocations = watchRevocations(metadata, credentials, logger.child({ component: 'api-key-revocations' }));
    context.onShutdown('api-key-revocations', () => revocations.close());
    // --- Cluster view and router membership (Metadata, DescribeCluster, DescribeTopicPartitions,
    // FindCoordinator; registration as a ROUTER node): see ./cluster.ts ---
    const cluster = startRouterCluster(context, { metadata, logger });
    // --- end of cluster view ---
    // --- Admin APIs (CreateTopics, DeleteTopics, CreatePartitions, configs, DescribeLogDirs) ---
    // Served from the metadata service (libs/router/admin-handlers); with the cluster view a
    // client sees its new topic in its next Metadata.
    const adminApiHandlers = adminHandlers({ metadata, logger, view: cluster.view });
    // --- end of admin APIs ---
    // --- Data path (Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, DeleteRecords,
    // InitProducerId): split by leader broker and forwarded over long-lived stratus.broker.v1
    // streams, retried across leadership moves (libs/router/broker-routing, docs/router.md).
    // Registered before the listener so it closes after the listener (reverse order).
    const brokerConnections = new BrokerConnections({
      view: cluster.view,
      logger,
      metrics: context.metrics,
      grpc: { maxReceiveMessageBytes: config.grpcMaxMessageBytes, maxSendMessageBytes: config.grpcMaxMessageBytes },
    });
    context.onShutdown('broker-connections', () => brokerConnections.close());
    const dataPathApiHandlers = dataPathHandlers({
      view: cluster.view,
      connections: brokerConnections,
      logger,
      metrics: context.metrics,
      coalesceProduce: config.produceCoalescing,
    });
    // --- end of data path ---
    // --- Group APIs (issue 7; libs/router/group-routing, docs/groups.md): JoinGroup, SyncGroup,
    // Heartbeat, LeaveGroup, OffsetCommit/Fetch/Delete, ConsumerGroupHeartbeat/Describe,
    // DescribeGroups, ListGroups, DeleteGroups forwarded via KafkaPassthrough to the broker leading
    // the group's offsets partition, group ids namespaced per tenant, on the same broker channels
    // as the data path (BrokerConnections.kafkaPassthrough). ---
    const groupApiHandlers = groupHandlers({
      view: cluster.view,
      brokers: brokerConnections,
      offsetsTopic: offsetsTopicResolver({ view: cluster.view, tenants: cluster.tenants }),
    });
    // --- end of group APIs ---
    // --- Tenant quotas (issue 8 item 7; libs/router/quotas, docs/router.md "Quotas"): produce and
    // fetch bytes/s, requests/s, connections and connection creation rate from each tenant's
    // effective quotas (WatchTenants), divided by the live routers of the cluster view. Over a rate
    // quota a response carries throttle_time_ms and the connection is muted (KIP-219). ---
    const quotas = new RouterQuotas({ limitsFor: limitsFromTenants(cluster.tenants), liveRouters: () => cluster.view.routers().length });
    // --- end of tenant quotas ---
    // --- Per-tenant ACLs (issue 8 item 3; libs/router/acls, docs/router.md "ACLs"): every tenant's
    // bindings and the super-user keys come from metadata watches; every handler below is wrapped
    // by the guard, which authorizes each request from one table before its handler runs. ---
    const aclLogger = logger.child({ component: 'acls' });
    const aclWatches = { acls: watchAcls(metadata, { logger: aclLogger }), apiKeys: watchApiKeys(metadata, { logger: aclLogger }) };
    const aclAuthority = new WatchedAclAuthority(aclWatches);
    context.onShutdown('acl-watches', () => {
      aclAuthority.close();
      aclWatches.acls.close();
      aclWatches.apiKeys.close();
    });
    const guarded = guardHandlers(
      [...adminApiHandlers, ...cluster.handlers, ...dataPathApiHandlers, ...groupApiHandlers, ...aclHandlers({ metadata })],
      { authority: aclAuthority, view: cluster.view, logger: aclLogger },
    );
    // --- end of ACLs ---
    const listener = await startKafkaListener({
      ...kafkaListenerOptionsFromConfig(config, { credentials, logger, metrics: context.metrics, handlers: guarded }),
      quotas,
    });
    cluster.advertise(listener);
    let listening = true;
    // Written before the ready line; with kafkaPort 0 this is where the chosen port is learnt.
    logger.info({ kafkaHost: listener.host, kafkaPort: listener.port }, 'kafka listener bound');
    // Readiness is the listener being bound, not metadata being reachable: if metadata blips, every
    // router would turn unready at once and a load balancer would have nowhere to send clients.
    // Connections meanwhile fail authentication retriably (closed without an answer), and lookups
    // still in the credential cache keep working.
    context.addReadinessCheck('kafka-listener', () => listening);
    context.onShutdown('kafka-listener', async () => {
      listening = false;
      await listener.close();
    });
  },
});
