// SaslAuthenticate (key 36, KIP-152): one SASL token each way. A failure answers
// SASL_AUTHENTICATION_FAILED after the KIP-306 delay and closes; success returns the session
// lifetime from v1 (KIP-368).
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from './handler';

export interface SaslAuthenticateHandlerOptions {
  /** connection.failed.authentication.delay.ms (KIP-306). */
  readonly failedAuthenticationDelayMs: number;
}

export function saslAuthenticateHandler(options: SaslAuthenticateHandlerOptions): ApiHandler {
  return {
    apiKey: 36,
    name: 'SaslAuthenticate',
    minVersion: 0,
    maxVersion: 2,
    beforeAuthentication: true,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as SaslAuthenticateRequest;
      const outcome = await ctx.sasl.authenticate(request.authBytes);
      if (outcome.kind === 'violation') return { violation: outcome.reason };
      if (outcome.kind === 'failure') {
        const response: SaslAuthenticateResponse = { errorCode: outcome.errorCode, errorMessage: outcome.message, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
        if (!outcome.close) return { response };
        ctx.logger.warn({ mechanism: ctx.sasl.mechanism, reason: outcome.reason }, 'SASL authentication failed');
        return { response, delayMs: options.failedAuthenticationDelayMs, closeAfter: 'authentication failed' };
      }
      const response: SaslAuthenticateResponse = {
        errorCode: 0,
        errorMessage: null,
        authBytes: outcome.bytes,
        sessionLifetimeMs: outcome.kind === 'success' ? BigInt(outcome.sessionLifetimeMs) : 0n,
      };
      return { response };
    },
  };
}
