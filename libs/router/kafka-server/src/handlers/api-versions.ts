// ApiVersions (key 18): what this router serves. Before authentication too: clients ask it first.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ApiVersionsRequest, ApiVersionsResponse } from '@stratus/kafka-messages';
import { API_VERSIONS_KEY } from '@stratus/kafka-protocol';
import type { ApiHandler, RequestContext } from './handler';

/** KIP-511: client software name and version must look like this, else INVALID_REQUEST. */
const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export const API_VERSIONS_MIN = 0;
export const API_VERSIONS_MAX = 5;

export const apiVersionsHandler: ApiHandler = {
  apiKey: API_VERSIONS_KEY,
  name: 'ApiVersions',
  minVersion: API_VERSIONS_MIN,
  maxVersion: API_VERSIONS_MAX,
  beforeAuthentication: true,
  async handle(ctx: RequestContext, raw: unknown) {
    const request = raw as ApiVersionsRequest;
    const apiKeys = ctx.advertised.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }));
    if (ctx.header.apiVersion >= 3) {
      const name = request.clientSoftwareName ?? '';
      const version = request.clientSoftwareVersion ?? '';
      if (!SOFTWARE.test(name) || !SOFTWARE.test(version)) {
        const response: ApiVersionsResponse = { errorCode: ErrorCode.INVALID_REQUEST, apiKeys, throttleTimeMs: 0 };
        return { response };
      }
      ctx.noteClientSoftware(name, version);
    }
    const response: ApiVersionsResponse = { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 };
    return { response };
  },
};

/**
 * The answer to an ApiVersions version we do not know (KIP-511): UNSUPPORTED_VERSION in a v0 body
 * (with response header v0) carrying our ApiVersions range, so the client can retry with a version
 * both sides speak. Apache Kafka puts only the ApiVersions entry in this error response.
 */
export function unsupportedApiVersionsResponse(range: { minVersion: number; maxVersion: number }): ApiVersionsResponse {
  return {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: API_VERSIONS_KEY, minVersion: range.minVersion, maxVersion: range.maxVersion }],
  };
}
