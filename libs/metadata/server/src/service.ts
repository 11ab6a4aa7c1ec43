// stratus.metadata.v1.MetadataService over a MetadataStore. RPCs whose state the store does not
// model yet answer UNIMPLEMENTED naming what is missing (see docs/metadata.md, "Not yet").
import { metadataV1 } from '@stratus/contracts';
import type { MetadataStore } from '@stratus/metadata-store';
import { unimplemented } from '@stratus/platform-grpc';
import { aclHandlers } from './handlers/acls';
import { configHandlers } from './handlers/configs';
import { leaderEpochHandlers } from './handlers/leader-epochs';
import { nodeHandlers } from './handlers/nodes';
import { MutationQuotas, type MutationQuotaOptions } from './quota/mutation-quota';
import { scramCredentialHandlers } from './handlers/scram-credentials';
import { segmentHandlers } from './handlers/segments';
import { tenantSettingsHandlers } from './handlers/tenant-settings';
import { tenantHandlers } from './handlers/tenants';
import { topicHandlers } from './handlers/topics';
import { watchHandlers } from './handlers/watch';

/** Every RPC of the contract is served now; the mechanism stays for the next contract addition. */
export const NOT_YET_SERVED: readonly (keyof metadataV1.MetadataServiceServer)[] = [];

export interface MetadataServiceOptions {
  /** KIP-599 topic mutation quota settings (clock for tests). */
  readonly mutationQuota?: MutationQuotaOptions;
}

export function createMetadataService(store: MetadataStore, options: MetadataServiceOptions = {}): metadataV1.MetadataServiceServer {
  const pending = unimplemented(metadataV1.MetadataServiceService, { owner: 'issue 4 follow-up (metadata-server)' });
  const notYet = Object.fromEntries(NOT_YET_SERVED.map((name) => [name, pending[name]]));
  return {
    ...notYet,
    ...tenantHandlers(store),
    ...scramCredentialHandlers(store),
    ...tenantSettingsHandlers(store),
    ...topicHandlers(store, new MutationQuotas(options.mutationQuota)),
    ...configHandlers(store),
    ...nodeHandlers(store),
    ...leaderEpochHandlers(store),
    ...watchHandlers(store),
    ...aclHandlers(store),
    ...segmentHandlers(store),
  } as metadataV1.MetadataServiceServer;
}
