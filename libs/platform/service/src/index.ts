export { runService, EXIT_CONFIG_ERROR, EXIT_FAILURE } from './run-service';
export {
  startService,
  HEALTH_REFRESH_MS,
  type RunningService,
  type ServiceContext,
  type ServiceOptions,
  type ShutdownReport,
  type StartedPorts,
} from './start-service';
export { Readiness, READINESS_CHECK_TIMEOUT_MS, type ReadinessCheck, type ReadinessReport } from './readiness';
export { startAdminServer, type AdminServer, type AdminServerOptions } from './admin-server';
export { createGrpcServerMetrics, type GrpcServerMetrics } from './grpc-metrics';
export { lockDataDir, DataDirLockedError, DATA_DIR_LOCK_FILE, type DataDirLock } from './data-dir-lock';
