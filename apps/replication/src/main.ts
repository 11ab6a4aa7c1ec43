// Entry point of the replication service: wiring only.
import { replicationV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { replicationConfigSchema } from './config';

runService({
  name: 'replication',
  configSchema: replicationConfigSchema,
  setup: (context) => {
    context.addGrpcService(
      replicationV1.ReplicationServiceService,
      unimplemented(replicationV1.ReplicationServiceService, { owner: 'the replication storage-layer issue' }),
    );
  },
});
