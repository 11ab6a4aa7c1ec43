// stratus.metadata.v1.MetadataService over a MetadataStore. RPCs whose state the store does not
// model yet answer UNIMPLEMENTED naming what is missing (see docs/metadata.md, "Not yet").
import { metadataV1 } from '@stratus/contracts';
import type { MetadataStore } from '@stratus/metadata-store';
import { unimplemented } from '@stratus/platform-grpc';
import { configHandlers } from './handlers/configs';
import { leaderEpochHandlers } from './handlers/leader-epochs';
import { nodeHandlers } from './handlers/nodes';
import { tenantSettingsHandlers } from './handlers/tenant-settings';
import { tenantHandlers } from './handlers/tenants';
import { topicHandlers } from './handlers/topics';
import { watchHandlers } from './handlers/watch';

export const NOT_YET_SERVED = ['addSegments', 'listSegments', 'removeSegments'] as const;

export function createMetadataService(store: MetadataStore): metadataV1.MetadataServiceServer {
  const pending = unimplemented(metadataV1.MetadataServiceService, { owner: 'issue 4 follow-up (metadata-server)' });
  const notYet = Object.fromEntries(NOT_YET_SERVED.map((name) => [name, pending[name]]));
  return {
    ...notYet,
    ...tenantHandlers(store),
    ...tenantSettingsHandlers(store),
    ...topicHandlers(store),
    ...configHandlers(store),
    ...nodeHandlers(store),
    ...leaderEpochHandlers(store),
    ...watchHandlers(store),
  } as metadataV1.MetadataServiceServer;
}
