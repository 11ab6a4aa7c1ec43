// Server side of SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677; Kafka KIP-84):
//   client-first  →  server-first (r=client+server nonce, s=salt, i=iterations)
//   client-final  →  verify the proof against the stored key  →  server-final (v=server signature)
// A user without a credential is walked through the same exchange with a made-up credential, so
// neither the answers nor the number of steps reveal whether a user exists.
import { createHmac, randomBytes } from 'node:crypto';
import {
  checkClientFinal,
  parseClientFinal,
  parseClientFirst,
  serverFirstMessage,
  MIN_SCRAM_ITERATIONS,
  type ClientFirstMessage,
  type ScramCredential,
  type ServerFirst,
} from '@stratus/kafka-scram';
import type { CredentialSource } from '../credentials/credential-source';
import type { Principal, ScramMechanism } from '../types';
import { saslFailure, type SaslServer, type SaslStep } from './sasl-server';

/** Per-process key for made-up credentials: stable per user within a process, unguessable outside. */
const FAKE_CREDENTIAL_KEY = randomBytes(32);

export interface ScramServerOptions {
  readonly mechanism: ScramMechanism;
  readonly credentials: CredentialSource;
  /** Server nonce source; tests inject a fixed one to replay RFC vectors. */
  readonly serverNonce?: () => string;
}

type State =
  | { readonly name: 'client-first' }
  | {
      readonly name: 'client-final';
      readonly first: ClientFirstMessage;
      readonly serverFirst: ServerFirst;
      readonly credential: ScramCredential;
      readonly principal: Principal | undefined;
    }
  | { readonly name: 'done' };

export class ScramServer implements SaslServer {
  readonly mechanism: ScramMechanism;
  private readonly credentials: CredentialSource;
  private readonly serverNonce: () => string;
  private state: State = { name: 'client-first' };

  constructor(options: ScramServerOptions) {
    this.mechanism = options.mechanism;
    this.credentials = options.credentials;
    this.serverNonce = options.serverNonce ?? (() => randomBytes(24).toString('base64'));
  }

  async step(token: Buffer): Promise<SaslStep> {
    const state = this.state;
    // Any failure ends the exchange: a failed SCRAM conversation cannot be resumed.
    this.state = { name: 'done' };
    switch (state.name) {
      case 'client-first':
        return this.onClientFirst(token);
      case 'client-final':
        return this.onClientFinal(state, token);
      case 'done':
        return saslFailure(this.mechanism, 'SCRAM exchange already finished');
    }
  }

  private async onClientFirst(token: Buffer): Promise<SaslStep> {
    const first = parseClientFirst(token.toString('utf8'));
    if (typeof first === 'string') return saslFailure(this.mechanism, first);
    // tokenauth=true asks for delegation-token authentication (KIP-48), which Stratus does not serve.
    if (first.extensions.get('tokenauth')?.toLowerCase() === 'true') {
      return saslFailure(this.mechanism, 'delegation token authentication is not supported');
    }
    const lookup = await this.credentials.scramCredential(first.username, this.mechanism);
    const credential = lookup?.credential ?? this.fakeCredential(first.username);
    const serverFirst = serverFirstMessage(first, credential, this.serverNonce());
    this.state = { name: 'client-final', first, serverFirst, credential, principal: lookup?.principal };
    return { kind: 'challenge', bytes: Buffer.from(serverFirst.message, 'utf8') };
  }

  private onClientFinal(state: Extract<State, { name: 'client-final' }>, token: Buffer): SaslStep {
    const final = parseClientFinal(token.toString('utf8'));
    if (typeof final === 'string') return saslFailure(this.mechanism, final);
    const check = checkClientFinal({ credential: state.credential, first: state.first, serverFirst: state.serverFirst, final });
    // An unknown user ran the exchange against a made-up credential: it fails like a wrong password.
    if (!check.ok || state.principal === undefined) {
      return saslFailure(this.mechanism, `invalid proof for user "${state.first.username}"${check.ok ? '' : ` (${check.reason})`}`);
    }
    return { kind: 'success', bytes: Buffer.from(check.serverFinal, 'utf8'), principal: state.principal };
  }

  private fakeCredential(username: string): ScramCredential {
    const seed = createHmac('sha256', FAKE_CREDENTIAL_KEY).update(`${this.mechanism}\0${username}`).digest();
    return {
      mechanism: this.mechanism,
      salt: seed.subarray(0, 16),
      iterations: MIN_SCRAM_ITERATIONS,
      storedKey: randomBytes(this.mechanism === 'SCRAM-SHA-256' ? 32 : 64),
      serverKey: randomBytes(this.mechanism === 'SCRAM-SHA-256' ? 32 : 64),
    };
  }
}
