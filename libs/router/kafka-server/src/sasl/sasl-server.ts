// One SASL mechanism's server side, driven one token at a time (SaslAuthenticate, KIP-152).
import type { Principal, SaslMechanism } from '../types';

export type SaslStep =
  /** Send these bytes back and wait for the client's next token. */
  | { readonly kind: 'challenge'; readonly bytes: Buffer }
  /** Authenticated; send these (possibly empty) final bytes. */
  | { readonly kind: 'success'; readonly bytes: Buffer; readonly principal: Principal }
  /**
   * Refused. `message` goes to the client (it never says whether the user exists); `reason` is
   * for our logs only.
   */
  | { readonly kind: 'failure'; readonly message: string; readonly reason: string };

export interface SaslServer {
  readonly mechanism: SaslMechanism;
  step(token: Buffer): Promise<SaslStep>;
}

export function saslFailure(mechanism: SaslMechanism, reason: string): SaslStep {
  return {
    kind: 'failure',
    message: `Authentication failed: invalid credentials for SASL mechanism ${mechanism}`,
    reason,
  };
}
