import { z } from 'zod';
import { baseConfigShape } from '@stratus/platform-config';

/** Broker configuration (compute layer: partition leaders and coordinators). */
export const brokerConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7002, adminPort: 9102 }),
});

export type BrokerConfig = z.output<typeof brokerConfigSchema>;
