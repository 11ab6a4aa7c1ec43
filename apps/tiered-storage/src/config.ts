import { z } from 'zod';
import { baseConfigShape, boolean, bytes, httpUrl, text } from '@stratus/platform-config';

/**
 * Tiered-storage configuration. Sealed segments go to any S3 API when `s3Bucket` is set,
 * otherwise to a local folder (the default for local runs).
 */
export const tieredStorageConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7004, adminPort: 9104 }),
  /** Folder used as the object store when no S3 bucket is configured. */
  objectStoreDir: text({ describe: 'a directory path' }).default('data/tiered/objects'),
  s3Bucket: text({ describe: 'an S3 bucket name' }).optional(),
  /** Custom S3 API endpoint (MinIO, s3rver, ...); AWS when unset. */
  s3Endpoint: httpUrl().optional(),
  s3Region: text({ describe: 'an S3 region name' }).default('us-east-1'),
  /** Static credentials; when unset the AWS SDK's default chain (IRSA, instance role) applies. */
  s3AccessKeyId: text().optional(),
  s3SecretAccessKey: text().optional(),
  /** Path-style addressing, needed by most non-AWS S3 servers. */
  s3ForcePathStyle: boolean().default(false),
  /** Local SSD cache of segment chunks for cold reads. */
  cacheDir: text({ describe: 'a directory path' }).default('data/tiered/cache'),
  cacheMaxBytes: bytes({ min: 0 }).default(1024 ** 3),
});

export type TieredStorageConfig = z.output<typeof tieredStorageConfigSchema>;
