// adminHandlers(): the Kafka admin APIs a router serves (issue 8 item 6), backed by the metadata
// service. Pass the result to startKafkaListener's `handlers` option.
import type { Logger } from '@stratus/platform-logging';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler } from '@stratus/router-kafka-server';
import type { AdminContext } from './admin-context';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alter-configs';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { deleteTopicsHandler } from './delete-topics';
import { describeConfigsHandler } from './describe-configs';
import { describeLogDirsHandler } from './describe-log-dirs';
import { alterClientQuotasHandler } from './alter-client-quotas';
import { describeClientQuotasHandler } from './describe-client-quotas';
import { electLeadersHandler } from './elect-leaders';
import { alterUserScramCredentialsHandler, describeUserScramCredentialsHandler } from './user-scram-credentials';
import type { AdminMetadataClient } from './metadata-call';

export interface AdminHandlersOptions {
  /** A stratus.metadata.v1 MetadataService client (or anything with the calls used). */
  readonly metadata: AdminMetadataClient;
  /** When given, topic changes wait for it to catch up so the client sees them at once. */
  readonly view?: ClusterView;
  readonly logger: Logger;
  /** Deadline of each metadata call; default 10 s. */
  readonly metadataTimeoutMs?: number;
  /** Longest wait for the view after a topic change; default 5 s (never longer than the request's timeout_ms). */
  readonly catchUpTimeoutMs?: number;
  /** Directory DescribeLogDirs reports; default "/var/lib/stratus/logs". */
  readonly logDirPath?: string;
}

export const ADMIN_HANDLER_DEFAULTS = {
  metadataTimeoutMs: 10_000,
  catchUpTimeoutMs: 5_000,
  logDirPath: '/var/lib/stratus/logs',
} as const;

export function adminHandlers(options: AdminHandlersOptions): ApiHandler[] {
  const d = ADMIN_HANDLER_DEFAULTS;
  const admin: AdminContext = {
    metadata: options.metadata,
    view: options.view,
    logger: options.logger.child({ component: 'admin-handlers' }),
    metadataTimeoutMs: options.metadataTimeoutMs ?? d.metadataTimeoutMs,
    catchUpTimeoutMs: options.catchUpTimeoutMs ?? d.catchUpTimeoutMs,
    logDirPath: options.logDirPath ?? d.logDirPath,
  };
  const { view } = admin;
  return [
    createTopicsHandler(admin),
    deleteTopicsHandler(admin),
    createPartitionsHandler(admin),
    describeConfigsHandler(admin),
    alterConfigsHandler(admin),
    incrementalAlterConfigsHandler(admin),
    describeLogDirsHandler(admin),
    describeClientQuotasHandler(admin),
    alterClientQuotasHandler(admin),
    describeUserScramCredentialsHandler(admin),
    alterUserScramCredentialsHandler(admin),
    // ElectLeaders answers from the cluster view's leaders; without a view it is not served.
    ...(view ? [electLeadersHandler({ ...admin, view })] : []),
  ];
}
