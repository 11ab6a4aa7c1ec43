// Entry point of the broker service: wiring only.
import { brokerV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import { runService } from '@stratus/platform-service';
import { brokerConfigSchema } from './config';

runService({
  name: 'broker',
  configSchema: brokerConfigSchema,
  setup: (context) => {
    context.addGrpcService(
      brokerV1.BrokerServiceService,
      unimplemented(brokerV1.BrokerServiceService, { owner: 'the broker compute-layer issue (produce, fetch, coordinators)' }),
    );
  },
});
