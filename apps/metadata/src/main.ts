// Entry point of the metadata service: wiring only.
import { metadataV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { metadataConfigSchema } from './config';

runService({
  name: 'metadata',
  configSchema: metadataConfigSchema,
  setup: (context) => {
    context.logger.info({ etcdEndpoints: context.config.etcdEndpoints }, 'etcd endpoints configured');
    context.addGrpcService(
      metadataV1.MetadataServiceService,
      unimplemented(metadataV1.MetadataServiceService, { owner: 'the metadata control-plane issue' }),
    );
  },
});
