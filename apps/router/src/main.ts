// Entry point of the router service: wiring only.
import { runService } from '@stratus/platform-service';
import { routerConfigSchema } from './config';

runService({
  name: 'router',
  configSchema: routerConfigSchema,
  setup: () => {
    // Health and metrics only for now; the Kafka TCP listener is wired here by the router issue.
  },
});
