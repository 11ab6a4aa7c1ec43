import { z } from 'zod';
import { baseConfigShape, etcdEndpoints } from '@stratus/platform-config';

/** Metadata service configuration: the control plane over etcd. */
export const metadataConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7001, adminPort: 9101 }),
  /** Required: the metadata service is the only process that talks to etcd. */
  etcdEndpoints: etcdEndpoints(),
});

export type MetadataConfig = z.output<typeof metadataConfigSchema>;
