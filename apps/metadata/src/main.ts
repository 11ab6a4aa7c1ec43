// Entry point of the metadata service: wiring only. The store, controller and gRPC service
// live in libs/metadata/*; this file connects them to etcd and to the process lifecycle.
import { metadataV1 } from '@stratus/contracts';
import { Controller } from '@stratus/metadata-controller';
import { cellId, unwrap } from '@stratus/metadata-model';
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
    // Cells from config are written at start (an idempotent put). etcd may still be coming up, so
    // a failed attempt is retried by the readiness probe: the service is not ready until the
    // cells exist, because CreateTenant needs them.
    let cellsSeeded: Promise<void> | undefined;
    const seedCells = (): Promise<void> => {
      cellsSeeded ??= (async () => {
        for (const cell of context.config.cells) {
          unwrap(await store.tenants.putCell({ id: cellId(cell.id), azs: cell.azs }));
        }
        context.logger.info({ cells: context.config.cells.map((c) => c.id) }, 'cells defined');
      })().catch((error: unknown) => {
        cellsSeeded = undefined;
        throw error;
      });
      return cellsSeeded;
    };
    seedCells().catch((error: unknown) => context.logger.warn({ err: error }, 'could not define cells yet; retrying on the next readiness check'));
    context.addReadinessCheck('cells', async () => {
      await seedCells();
      return true;
    });
    controller.start();
    context.onShutdown('etcd', () => kv.close());
    context.onShutdown('controller', () => controller.stop());
  },
});
