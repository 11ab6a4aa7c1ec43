// Integration-test harness: real etcd, a real S3 API server and our apps as child processes, on
// free ports, always cleaned up. Only for *.int.spec.ts files and tools.
export { freePort, freePorts } from './ports';
export { waitFor, sleep, StopWaiting, HarnessTimeoutError, type WaitForOptions } from './wait';
export { httpGet, type HttpResponse } from './http';
export {
  registerResource,
  cleanupResources,
  liveResourceCount,
  currentMark,
  useHarness,
  HarnessCleanupError,
  type HarnessResource,
} from './registry';
export { makeTempDir, type TempDir } from './temp';
export { ManagedProcess, type ExitInfo, type StopOptions, type StopResult, type SpawnManagedOptions } from './process';
export { startEtcd, EtcdNotInstalledError, ETCD_BINARY, type EtcdHandle, type StartEtcdOptions } from './etcd';
export { startS3, s3Client, createBucket, S3RVER_CREDENTIALS, type S3Handle, type StartS3Options } from './s3';
export { grpcHealthCheck, type HealthStatus, type GrpcHealthCheckOptions } from './grpc-health';
export { parseReadyLine, type ReadyPorts } from './ready-line';
export {
  startApp,
  routerKafkaPort,
  spawnApp,
  startNodeService,
  spawnNodeService,
  appMainPath,
  workspaceRoot,
  AppNotBuiltError,
  STRATUS_APPS,
  type StratusAppName,
  type AppHandle,
  type SpawnedApp,
  type StartAppOptions,
  type SpawnAppOptions,
  type NodeServiceOptions,
} from './apps';
