// Entry point of the tiered-storage service: wiring only.
import { tieredV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { tieredStorageConfigSchema } from './config';

runService({
  name: 'tiered-storage',
  configSchema: tieredStorageConfigSchema,
  setup: (context) => {
    context.addGrpcService(
      tieredV1.TieredStorageServiceService,
      unimplemented(tieredV1.TieredStorageServiceService, { owner: 'the tiered-storage issue' }),
    );
  },
});
