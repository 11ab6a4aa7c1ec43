// Entry point of the tiered-storage service: wiring only.
import { tieredV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { tieredStorageConfigSchema } from './config';

runService({
  name: 'tiered-storage',
  configSchema: tieredStorageConfigSchema,
  setup: (context) => {
    const { s3Bucket, s3Endpoint, objectStoreDir } = context.config;
    context.logger.info(
      s3Bucket ? { objectStore: 's3', s3Bucket, s3Endpoint } : { objectStore: 'folder', objectStoreDir },
      'object store configured',
    );
    context.addGrpcService(
      tieredV1.TieredStorageServiceService,
      unimplemented(tieredV1.TieredStorageServiceService, { owner: 'the tiered-storage issue' }),
    );
  },
});
