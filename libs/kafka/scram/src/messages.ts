// Parsing of the two SCRAM client messages (RFC 5802 §7). Pure functions returning a reason string
// on malformed input so the state machine can answer SASL_AUTHENTICATION_FAILED, never throw.

export interface ClientFirstMessage {
  /** The GS2 header exactly as sent ("n,," or "y,," or with an authzid); echoed base64 in c=. */
  readonly gs2Header: string;
  readonly authzid: string | undefined;
  readonly username: string;
  readonly nonce: string;
  /** Extensions after the nonce (Kafka's KIP-84 / KIP-48 tokenauth), key → value. */
  readonly extensions: ReadonlyMap<string, string>;
  /** client-first-message-bare, part of the AuthMessage. */
  readonly bare: string;
}

export interface ClientFinalMessage {
  readonly channelBinding: Buffer;
  readonly nonce: string;
  readonly proof: Buffer;
  /** client-final-message-without-proof, part of the AuthMessage. */
  readonly withoutProof: string;
}

/** printable = %x21-2B / %x2D-7E: any visible ASCII but ','. */
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EXTENSION = /^([A-Za-z0-9]+)=([^,]*)$/;

/** saslname of RFC 5802: ',' and '=' travel as "=2C" and "=3D"; any other '=' is malformed. */
export function decodeSaslName(value: string): string | undefined {
  if (/=(?!2C|3D)/.test(value)) return undefined;
  return value.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attribute(part: string | undefined, name: string): string | undefined {
  return part !== undefined && part.startsWith(`${name}=`) ? part.slice(name.length + 1) : undefined;
}

export function parseClientFirst(text: string): ClientFirstMessage | string {
  const firstComma = text.indexOf(',');
  const secondComma = firstComma < 0 ? -1 : text.indexOf(',', firstComma + 1);
  if (secondComma < 0) return 'client-first message has no GS2 header';
  const flag = text.slice(0, firstComma);
  // "p=<name>" asks for channel binding, which Kafka's SCRAM (and Stratus) does not offer.
  if (flag !== 'n' && flag !== 'y') return `unsupported channel binding flag "${flag}"`;
  const authzPart = text.slice(firstComma + 1, secondComma);
  let authzid: string | undefined;
  if (authzPart.length > 0) {
    const raw = attribute(authzPart, 'a');
    authzid = raw === undefined ? undefined : decodeSaslName(raw);
    if (authzid === undefined) return 'malformed authorization id in GS2 header';
  }
  const gs2Header = text.slice(0, secondComma + 1);
  const bare = text.slice(secondComma + 1);
  const parts = bare.split(',');
  if (parts[0]?.startsWith('m=')) return 'mandatory SCRAM extensions are not supported';
  const rawName = attribute(parts[0], 'n');
  const username = rawName === undefined ? undefined : decodeSaslName(rawName);
  if (username === undefined || username.length === 0) return 'client-first message has no valid username';
  const nonce = attribute(parts[1], 'r');
  if (nonce === undefined || !NONCE.test(nonce)) return 'client-first message has no valid nonce';
  const extensions = new Map<string, string>();
  for (const part of parts.slice(2)) {
    const match = EXTENSION.exec(part);
    if (!match) return `malformed SCRAM extension "${part.slice(0, 32)}"`;
    extensions.set(match[1] as string, match[2] as string);
  }
  if (authzid !== undefined && authzid !== username) return 'authorization id differs from the username';
  return { gs2Header, authzid, username, nonce, extensions, bare };
}

export function parseClientFinal(text: string): ClientFinalMessage | string {
  const proofAt = text.lastIndexOf(',p=');
  if (proofAt < 0) return 'client-final message has no proof';
  const withoutProof = text.slice(0, proofAt);
  const proofText = text.slice(proofAt + 3);
  if (!BASE64.test(proofText) || proofText.length === 0) return 'client proof is not base64';
  const parts = withoutProof.split(',');
  const cb = attribute(parts[0], 'c');
  if (cb === undefined || !BASE64.test(cb)) return 'client-final message has no valid channel binding';
  const nonce = attribute(parts[1], 'r');
  if (nonce === undefined || !NONCE.test(nonce)) return 'client-final message has no valid nonce';
  for (const part of parts.slice(2)) {
    if (!EXTENSION.test(part)) return `malformed SCRAM extension "${part.slice(0, 32)}"`;
  }
  return { channelBinding: Buffer.from(cb, 'base64'), nonce, proof: Buffer.from(proofText, 'base64'), withoutProof };
}
