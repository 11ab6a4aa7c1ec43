// SaslHandshake (key 17, KIP-43): pick a mechanism. v0 means raw SASL tokens follow; v1 means
// SaslAuthenticate requests follow (KIP-152).
import type { SaslHandshakeRequest, SaslHandshakeResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from './handler';

export const saslHandshakeHandler: ApiHandler = {
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  beforeAuthentication: true,
  async handle(ctx: RequestContext, raw: unknown) {
    const request = raw as SaslHandshakeRequest;
    const outcome = ctx.sasl.handshake(request.mechanism, ctx.header.apiVersion);
    if (outcome.kind === 'violation') return { violation: outcome.reason };
    const response: SaslHandshakeResponse = {
      errorCode: outcome.kind === 'ok' ? 0 : outcome.errorCode,
      mechanisms: [...outcome.mechanisms],
    };
    if (outcome.kind === 'error') {
      ctx.logger.warn({ mechanism: request.mechanism.slice(0, 64), reason: outcome.reason }, 'SASL handshake refused');
      return outcome.close ? { response, closeAfter: outcome.reason } : { response };
    }
    return { response };
  },
};
