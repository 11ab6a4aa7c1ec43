// Entry point of the metadata service: wiring only. The store, controller and gRPC service
// live in libs/metadata/*; this file connects them to etcd and to the process lifecycle.
import { metadataV1 } from '@stratus/contracts';
import { Controller } from '@stratus/metadata-controller';
import { createMetadataService } from '@stratus/metadata-server';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { runService } from '@stratus/platform-service';
import { metadataConfigSchema } from './config';

runService({
  name: 'metadata',
  configSchema: metadataConfigSchema,
  setup: (context) => {
    const kv = new EtcdKvStore({ endpoints: context.config.etcdEndpoints });
    const store = new MetadataStore({ kv });
    // Every metadata replica campaigns; the elected one places partitions and moves leaders.
    const controller = new Controller({
      store,
      candidateId: context.config.nodeId,
      onEvent: (event) => context.logger.info({ event }, 'controller event'),
    });
    context.addGrpcService(metadataV1.MetadataServiceService, createMetadataService(store));
    // Not ready while etcd cannot be read: callers should use another metadata replica.
    context.addReadinessCheck('etcd', async () => {
      await kv.get(store.keys.controller());
      return true;
    });
    controller.start();
    context.onShutdown('etcd', () => kv.close());
    context.onShutdown('controller', () => controller.stop());
  },
});
