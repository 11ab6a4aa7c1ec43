// SASL PLAIN (RFC 4616): one message "authzid NUL authcid NUL passwd". Only over TLS in production;
// the password is checked against the stored salted hash by the CredentialSource.
import type { CredentialSource } from '../credentials/credential-source';
import { saslFailure, type SaslServer, type SaslStep } from './sasl-server';

/** RFC 4616 caps each field at 255 octets of UTF-8. */
const MAX_FIELD_BYTES = 255;

export class PlainServer implements SaslServer {
  readonly mechanism = 'PLAIN' as const;
  private used = false;

  constructor(private readonly credentials: CredentialSource) {}

  async step(token: Buffer): Promise<SaslStep> {
    if (this.used) return saslFailure(this.mechanism, 'PLAIN takes exactly one message');
    this.used = true;
    const parsed = parsePlainMessage(token);
    if (typeof parsed === 'string') return saslFailure(this.mechanism, parsed);
    const principal = await this.credentials.verifyPlain(parsed.username, parsed.password);
    if (!principal) return saslFailure(this.mechanism, `invalid username or password for user "${parsed.username}"`);
    return { kind: 'success', bytes: Buffer.alloc(0), principal };
  }
}

export interface PlainMessage {
  readonly authzid: string;
  readonly username: string;
  readonly password: string;
}

/** Parses a PLAIN message; returns a reason string when it is malformed. */
export function parsePlainMessage(token: Buffer): PlainMessage | string {
  const first = token.indexOf(0);
  const second = first < 0 ? -1 : token.indexOf(0, first + 1);
  if (first < 0 || second < 0 || token.indexOf(0, second + 1) >= 0) {
    return 'PLAIN message must have exactly three NUL-separated fields';
  }
  const fields = [token.subarray(0, first), token.subarray(first + 1, second), token.subarray(second + 1)];
  if (fields.some((f) => f.length > MAX_FIELD_BYTES)) return 'PLAIN field longer than 255 bytes';
  const [authzid, username, password] = fields.map((f) => f.toString('utf8')) as [string, string, string];
  if (username.length === 0 || password.length === 0) return 'PLAIN username and password must not be empty';
  // Acting on behalf of another identity is not supported: the authorization id may only repeat the user.
  if (authzid.length > 0 && authzid !== username) return 'PLAIN authorization id differs from the username';
  return { authzid, username, password };
}
