import { z } from 'zod';
import { baseConfigShape, etcdEndpoints } from '@stratus/platform-config';
import { DEFAULT_CELLS, cellsField } from './cells';

/** Metadata service configuration: the control plane over etcd. */
export const metadataConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7001, adminPort: 9101 }),
  /** Required: the metadata service is the only process that talks to etcd. */
  etcdEndpoints: etcdEndpoints(),
  /**
   * Cells written to etcd at every start (an idempotent put): tenants are placed on them.
   * Removing a cell from this list does not delete it from etcd.
   */
  cells: cellsField().default(DEFAULT_CELLS.map((c) => ({ id: c.id, azs: [...c.azs] }))),
});

export type MetadataConfig = z.output<typeof metadataConfigSchema>;
