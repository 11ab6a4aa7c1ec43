import { z } from 'zod';
import { baseConfigShape } from '@stratus/platform-config';

/**
 * Router configuration. The router serves no gRPC API of its own (clients speak Kafka to it);
 * its gRPC port carries grpc.health.v1 for probes and load balancers.
 */
export const routerConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7000, adminPort: 9100 }),
});

export type RouterConfig = z.output<typeof routerConfigSchema>;
