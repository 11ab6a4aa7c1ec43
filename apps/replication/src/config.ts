import { z } from 'zod';
import { baseConfigShape, text } from '@stratus/platform-config';

/** Replication node configuration: the replicated hot log on local disk. */
export const replicationConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7003, adminPort: 9103 }),
  /** Directory holding the partition logs (a local SSD volume in production). */
  dataDir: text({ describe: 'a directory path' }).default('data/replication'),
});

export type ReplicationConfig = z.output<typeof replicationConfigSchema>;
