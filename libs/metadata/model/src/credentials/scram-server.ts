// Server side of a SCRAM exchange (RFC 5802 §3, §5) over stored credentials. The router uses
// this; it lives here so the exchange is tested next to the credential derivation.
import { randomBytes } from 'node:crypto';
import { hmac, h, safeEqual, xor, type ScramCredential } from './scram';

export type ScramStep =
  | { readonly kind: 'challenge'; readonly message: string }
  | { readonly kind: 'success'; readonly message: string; readonly username: string }
  | { readonly kind: 'failure'; readonly reason: string };

const ATTR = /^([a-zA-Z])=(.*)$/;

function parseAttributes(message: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const m = ATTR.exec(part);
    if (!m) return undefined;
    out.set(m[1] as string, m[2] as string);
  }
  return out;
}

/** RFC 5802 §5.1: "=2C" and "=3D" escape ',' and '=' in user names. */
function decodeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export interface ScramServerOptions {
  /** Looks up the credential for a user name; undefined when unknown. */
  readonly lookup: (username: string) => Promise<ScramCredential | undefined>;
  readonly nonce?: string;
}

export class ScramServerSession {
  private state: 'initial' | 'first-sent' | 'done' = 'initial';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private username = '';
  private credential: ScramCredential | undefined;

  constructor(private readonly options: ScramServerOptions) {}

  async step(message: string): Promise<ScramStep> {
    if (this.state === 'initial') return this.first(message);
    if (this.state === 'first-sent') return this.final(message);
    return { kind: 'failure', reason: 'exchange already finished' };
  }

  private async first(message: string): Promise<ScramStep> {
    this.state = 'done';
    // gs2-header: we support no channel binding ("n") and no authzid other than empty.
    const m = /^([ny]),(?:a=[^,]*)?,(.*)$/.exec(message);
    if (!m) return { kind: 'failure', reason: 'invalid client-first-message' };
    this.clientFirstBare = m[2] as string;
    const attrs = parseAttributes(this.clientFirstBare);
    const user = attrs?.get('n');
    const clientNonce = attrs?.get('r');
    if (user === undefined || clientNonce === undefined || clientNonce.length === 0) {
      return { kind: 'failure', reason: 'invalid client-first-message' };
    }
    const username = decodeSaslName(user);
    if (username === undefined) return { kind: 'failure', reason: 'invalid user name encoding' };
    this.username = username;
    this.credential = await this.options.lookup(username);
    if (!this.credential) return { kind: 'failure', reason: 'authentication failed' };
    this.nonce = clientNonce + (this.options.nonce ?? randomBytes(18).toString('base64'));
    this.serverFirst = `r=${this.nonce},s=${this.credential.salt.toString('base64')},i=${this.credential.iterations}`;
    this.state = 'first-sent';
    return { kind: 'challenge', message: this.serverFirst };
  }

  private async final(message: string): Promise<ScramStep> {
    this.state = 'done';
    const credential = this.credential as ScramCredential;
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) return { kind: 'failure', reason: 'invalid client-final-message' };
    const withoutProof = message.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof);
    if (attrs?.get('r') !== this.nonce) return { kind: 'failure', reason: 'nonce mismatch' };
    if (attrs.get('c') !== 'biws' && attrs.get('c') !== 'eSws') return { kind: 'failure', reason: 'channel binding not supported' };
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(credential.mechanism, credential.storedKey, authMessage);
    if (proof.length !== clientSignature.length) return { kind: 'failure', reason: 'authentication failed' };
    const clientKey = xor(proof, clientSignature);
    if (!safeEqual(h(credential.mechanism, clientKey), credential.storedKey)) {
      return { kind: 'failure', reason: 'authentication failed' };
    }
    const serverSignature = hmac(credential.mechanism, credential.serverKey, authMessage);
    return { kind: 'success', message: `v=${serverSignature.toString('base64')}`, username: this.username };
  }
}
