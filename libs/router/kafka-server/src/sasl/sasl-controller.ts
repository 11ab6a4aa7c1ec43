// The authentication state of one connection (KIP-43 handshake, KIP-152 SaslAuthenticate, KIP-368
// re-authentication). Handlers call it; the connection asks it whether a request may pass.
import { ErrorCode } from '@stratus/kafka-errors';
import type { CredentialSource } from '../credentials/credential-source';
import { CredentialSourceUnavailableError } from '../credentials/credential-source-unavailable';
import type { Principal, SaslMechanism } from '../types';
import { PlainServer } from './plain-server';
import type { SaslServer, SaslStep } from './sasl-server';
import { ScramServer } from './scram-server';

export interface SaslControllerOptions {
  readonly mechanisms: readonly SaslMechanism[];
  readonly credentials: CredentialSource;
  /** KIP-368 connections.max.reauth.ms; 0 disables re-authentication and session expiry. */
  readonly maxSessionLifetimeMs: number;
  readonly now?: () => number;
}

export type HandshakeOutcome =
  | { readonly kind: 'ok'; readonly mechanisms: readonly SaslMechanism[] }
  /** Answer with this error, then close (Kafka closes after an unsupported mechanism). */
  | { readonly kind: 'error'; readonly errorCode: number; readonly mechanisms: readonly SaslMechanism[]; readonly close: boolean; readonly reason: string }
  /** Not answerable: the exchange is out of order; close the connection. */
  | { readonly kind: 'violation'; readonly reason: string };

export type AuthenticateOutcome =
  | { readonly kind: 'challenge'; readonly bytes: Buffer }
  | { readonly kind: 'success'; readonly bytes: Buffer; readonly principal: Principal; readonly sessionLifetimeMs: number; readonly reauthenticated: boolean }
  | { readonly kind: 'failure'; readonly errorCode: number; readonly message: string; readonly reason: string; readonly close: boolean }
  | { readonly kind: 'violation'; readonly reason: string };

type Phase = 'initial' | 'handshaken' | 'authenticated';

export class SaslController {
  private phase: Phase = 'initial';
  private server: SaslServer | undefined;
  private mechanismInUse: SaslMechanism | undefined;
  private currentPrincipal: Principal | undefined;
  private reauthenticating = false;
  /** After a v0 handshake the client sends bare SASL tokens, without SaslAuthenticate framing (KIP-43). */
  private rawTokens = false;
  private expiresAt: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SaslControllerOptions) {
    this.now = options.now ?? Date.now;
  }

  get authenticated(): boolean {
    return this.currentPrincipal !== undefined;
  }

  get principal(): Principal | undefined {
    return this.currentPrincipal;
  }

  /** The next frame is a raw SASL token (handshake v0), not a Kafka request. */
  get expectsRawToken(): boolean {
    return this.rawTokens;
  }

  /** When the session ends unless the client re-authenticates (epoch ms), if it does. */
  get sessionExpiresAtMs(): number | undefined {
    return this.expiresAt;
  }

  get mechanism(): SaslMechanism | undefined {
    return this.mechanismInUse;
  }

  handshake(mechanism: string, version: number): HandshakeOutcome {
    const enabled = this.options.mechanisms;
    if (this.phase === 'handshaken') return { kind: 'violation', reason: 'second SaslHandshake before SaslAuthenticate' };
    if (this.phase === 'authenticated') {
      // KIP-368: a handshake on an authenticated connection starts a re-authentication, which
      // needs the v1 handshake, must keep the mechanism, and is only allowed when sessions expire.
      if (this.options.maxSessionLifetimeMs <= 0 || version < 1) {
        return { kind: 'error', errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: enabled, close: false, reason: 're-authentication is not enabled' };
      }
      if (mechanism !== this.mechanismInUse) {
        return { kind: 'error', errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: enabled, close: true, reason: `re-authentication must keep mechanism ${this.mechanismInUse}` };
      }
      this.reauthenticating = true;
    }
    const chosen = enabled.find((m) => m === mechanism);
    if (!chosen) {
      return { kind: 'error', errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: enabled, close: true, reason: `mechanism "${mechanism.slice(0, 64)}" is not enabled` };
    }
    this.server = this.newServer(chosen);
    this.mechanismInUse = chosen;
    this.phase = 'handshaken';
    this.rawTokens = version === 0;
    return { kind: 'ok', mechanisms: enabled };
  }

  async authenticate(token: Buffer): Promise<AuthenticateOutcome> {
    if (this.phase === 'authenticated' && !this.reauthenticating) {
      return { kind: 'failure', errorCode: ErrorCode.ILLEGAL_SASL_STATE, message: 'SaslAuthenticate received after authentication completed', reason: 'SaslAuthenticate after authentication', close: false };
    }
    const server = this.server;
    if (this.phase !== 'handshaken' || !server) return { kind: 'violation', reason: 'SaslAuthenticate before SaslHandshake' };
    let step: SaslStep;
    try {
      step = await server.step(token);
    } catch (error) {
      if (!(error instanceof CredentialSourceUnavailableError)) throw error;
      // Credentials could not be checked: close without an answer. Kafka clients retry a dropped
      // connection, whereas SASL_AUTHENTICATION_FAILED would be fatal to them, and the client must
      // learn nothing about our internals. The reason (with the cause's message) stays in our log.
      this.server = undefined;
      this.rawTokens = false;
      return { kind: 'violation', reason: `credentials unavailable: ${error.message}` };
    }
    if (step.kind === 'challenge') return step;
    this.server = undefined;
    this.rawTokens = false;
    if (step.kind === 'failure') {
      return { kind: 'failure', errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, message: step.message, reason: step.reason, close: true };
    }
    const previous = this.currentPrincipal;
    // KIP-368: re-authentication may renew the session but never switch to another identity.
    if (this.reauthenticating && previous && (previous.username !== step.principal.username || previous.tenantId !== step.principal.tenantId)) {
      return { kind: 'failure', errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, message: 'Re-authentication must use the same principal', reason: 'principal changed on re-authentication', close: true };
    }
    const sessionLifetimeMs = this.sessionLifetime(step.principal);
    this.expiresAt = sessionLifetimeMs > 0 ? this.now() + sessionLifetimeMs : undefined;
    const reauthenticated = this.reauthenticating;
    this.reauthenticating = false;
    this.currentPrincipal = step.principal;
    this.phase = 'authenticated';
    return { kind: 'success', bytes: step.bytes, principal: step.principal, sessionLifetimeMs, reauthenticated };
  }

  /** A bounded session (KIP-368): the configured maximum, cut short by the credential's own expiry. */
  private sessionLifetime(principal: Principal): number {
    const max = this.options.maxSessionLifetimeMs;
    const untilCredentialExpiry = principal.credentialExpiresAtMs === undefined ? Infinity : Math.max(1, principal.credentialExpiresAtMs - this.now());
    const lifetime = Math.min(max > 0 ? max : Infinity, untilCredentialExpiry);
    return Number.isFinite(lifetime) ? lifetime : 0;
  }

  private newServer(mechanism: SaslMechanism): SaslServer {
    return mechanism === 'PLAIN'
      ? new PlainServer(this.options.credentials)
      : new ScramServer({ mechanism, credentials: this.options.credentials });
  }
}
