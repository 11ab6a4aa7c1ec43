// A real S3 API server (s3rver) in a child process, so a test can stop, kill or pause it to
// simulate an object-store outage, then restart it on the same port and data.
import { join, dirname } from 'node:path';
import {
  CreateBucketCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { ManagedProcess, type StopResult } from './process';
import { registerResource } from './registry';
import { makeTempDir } from './temp';

/** s3rver accepts exactly these credentials (any other key is rejected as InvalidAccessKeyId). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface StartS3Options {
  /** Create this bucket once the server is up. */
  readonly bucket?: string;
  readonly readyTimeoutMs?: number;
}

export interface S3Handle {
  /** e.g. "http://127.0.0.1:4711"; use path-style addressing (s3Client does). */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly bucket: string | undefined;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  stop(): Promise<StopResult>;
  kill(signal: NodeJS.Signals): void;
  /** Starts the server again (stopping it first if running) on the same port and data dir. */
  restart(): Promise<void>;
}

const REGION = 'us-east-1';

function s3rverBin(): string {
  return join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
}

async function launchS3rver(options: { dataDir: string; port: number; logFile: string; readyTimeoutMs: number }): Promise<{
  proc: ManagedProcess;
  port: number;
}> {
  const proc = await ManagedProcess.spawn({
    label: `s3rver :${options.port}`,
    command: process.execPath,
    args: [s3rverBin(), '--directory', options.dataDir, '--address', '127.0.0.1', '--port', String(options.port), '--silent'],
    logFile: options.logFile,
  });
  try {
    const port = await proc.waitForLine(
      (line) => {
        const match = /S3rver listening on [^:]+:(\d+)/.exec(line);
        return match ? Number(match[1]) : undefined;
      },
      { timeoutMs: options.readyTimeoutMs, description: 's3rver to listen' },
    );
    return { proc, port };
  } catch (err) {
    await proc.stop({ timeoutMs: 2_000 });
    throw err;
  }
}

export async function startS3(options: StartS3Options = {}): Promise<S3Handle> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const work = await makeTempDir('s3');
  const dataDir = join(work.path, 'data');
  const logFile = join(work.path, 's3rver.log');
  // Port 0 on first start: the server binds atomically, so there is no race to lose. Restarts reuse
  // the port the first start got, because clients under test hold that endpoint.
  const first = await launchS3rver({ dataDir, port: 0, logFile, readyTimeoutMs });
  let current = first.proc;
  const endpoint = `http://127.0.0.1:${first.port}`;
  const handle: S3Handle = {
    endpoint,
    port: first.port,
    region: REGION,
    ...S3RVER_CREDENTIALS,
    bucket: options.bucket,
    dataDir,
    get process() {
      return current;
    },
    stop: () => current.stop({ signal: 'SIGTERM', timeoutMs: 10_000 }),
    kill: (signal) => current.kill(signal),
    restart: async () => {
      if (current.running) await current.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
      current = (await launchS3rver({ dataDir, port: first.port, logFile, readyTimeoutMs })).proc;
    },
  };
  if (options.bucket !== undefined) {
    await createBucket(s3Client(handle), options.bucket);
  }
  return handle;
}

/** An S3Client for `s3`, path-style (s3rver has no DNS for virtual-host buckets), destroyed on cleanup. */
export function s3Client(s3: Pick<S3Handle, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>): S3Client {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // Tests that stop the server want the failure, not minutes of retries.
    maxAttempts: 1,
  });
  const unregister = registerResource({
    label: `S3Client for ${s3.endpoint}`,
    cleanup: async () => {
      unregister();
      client.destroy();
    },
  });
  return client;
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  const region = await client.config.region();
  await client.send(
    new CreateBucketCommand({
      Bucket: bucket,
      // us-east-1 is the one region S3 wants without a location constraint.
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
}
