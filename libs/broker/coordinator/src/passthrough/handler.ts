// The broker's KafkaPassthrough handler for the group coordinator APIs: decode the body at the
// request's version, dispatch by API key, encode the response at the same version. A body that
// cannot be served at all (unknown API, unsupported version, undecodable) is answered with
// `error` set, so the router builds the Kafka error response itself (passthrough.proto).
import type { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { API_REGISTRY } from '@stratus/kafka-messages';
import type { CoordinatorRuntime } from '../runtime';
import type { AnyGroupApi, GroupApi, GroupApiContext } from './api';
import { consumerGroupDescribeApi } from './consumer-group-describe';
import { consumerGroupHeartbeatApi } from './consumer-group-heartbeat';
import { deleteGroupsApi } from './delete-groups';
import { describeGroupsApi } from './describe-groups';
import { heartbeatApi } from './heartbeat';
import { joinGroupApi } from './join-group';
import { leaveGroupApi } from './leave-group';
import { listGroupsApi } from './list-groups';
import { offsetCommitApi } from './offset-commit';
import { offsetDeleteApi } from './offset-delete';
import { offsetFetchApi } from './offset-fetch';
import { syncGroupApi } from './sync-group';

export type PassthroughHandler = (request: brokerV1.KafkaPassthroughRequest) => Promise<brokerV1.KafkaPassthroughResponse>;

/** The group APIs this coordinator serves, with the versions each handler understands. */
export const GROUP_APIS: readonly AnyGroupApi[] = [
  joinGroupApi,
  syncGroupApi,
  heartbeatApi,
  leaveGroupApi,
  offsetCommitApi,
  offsetFetchApi,
  consumerGroupHeartbeatApi,
  consumerGroupDescribeApi,
  describeGroupsApi,
  listGroupsApi,
  deleteGroupsApi,
  offsetDeleteApi,
] as readonly GroupApi<never, unknown>[] as readonly AnyGroupApi[];

const BY_KEY = new Map(GROUP_APIS.map((a) => [a.apiKey, a]));

const refuse = (code: ErrorCode, message: string): brokerV1.KafkaPassthroughResponse => ({ error: { code, message }, response: Buffer.alloc(0) });

export function passthroughHandler(runtime: CoordinatorRuntime): PassthroughHandler {
  return async (request) => {
    const api = BY_KEY.get(request.apiKey);
    const codec = API_REGISTRY.get(request.apiKey);
    if (!api || !codec) return refuse(ErrorCode.UNSUPPORTED_VERSION, `API key ${request.apiKey} is not a group coordinator API`);
    const version = request.apiVersion;
    if (version < api.minVersion || version > api.maxVersion) {
      return refuse(ErrorCode.UNSUPPORTED_VERSION, `${api.name} v${version} is not supported (v${api.minVersion}-v${api.maxVersion})`);
    }
    const tenantId = request.header?.tenantId?.value ?? '';
    if (tenantId.length === 0) return refuse(ErrorCode.INVALID_REQUEST, 'request header carries no tenant');
    let body: unknown;
    try {
      body = codec.request.decode(Buffer.from(request.request), version);
    } catch (e) {
      return refuse(ErrorCode.INVALID_REQUEST, `${api.name} v${version} body does not decode: ${(e as Error).message}`);
    }
    const ctx: GroupApiContext = {
      runtime,
      tenantId,
      apiVersion: version,
      clientId: request.header?.clientId ?? '',
      clientHost: request.header?.clientHost ?? '',
    };
    const response = await (api as GroupApi<unknown, unknown>).handle(ctx, body);
    return { response: codec.response.encode(response, version) };
  };
}
