// The server's two SCRAM steps as pure functions (RFC 5802 §5): what to answer a client-first
// message with, and whether a client-final message proves knowledge of the password. Looking the
// credential up, hiding unknown users and mapping to a principal stay with the caller.
import { digest, hmac, safeEqual, xor, type ScramCredential } from './crypto';
import type { ClientFinalMessage, ClientFirstMessage } from './messages';

export interface ServerFirst {
  /** server-first-message: r=<client nonce + server nonce>,s=<salt>,i=<iterations>. */
  readonly message: string;
  /** The combined nonce the client must echo in its final message. */
  readonly nonce: string;
}

export function serverFirstMessage(first: ClientFirstMessage, credential: ScramCredential, serverNonce: string): ServerFirst {
  const nonce = first.nonce + serverNonce;
  return { nonce, message: `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}` };
}

/**
 * RFC 5802 wants the combined nonce echoed exactly. librdkafka's built-in SCRAM client (kcat,
 * confluent-kafka and every other librdkafka binding) sends its own nonce once more in front of
 * it, and Apache Kafka's broker has long accepted any nonce that ends with the combined one. We
 * accept exactly those two forms, no other prefix, and the proof still covers the message as sent
 * (the AuthMessage is built from the client's own client-final-message-without-proof).
 */
function nonceEchoed(echoed: string, first: ClientFirstMessage, serverFirst: ServerFirst): boolean {
  return echoed === serverFirst.nonce || echoed === first.nonce + serverFirst.nonce;
}

export type ClientFinalCheck =
  | { readonly ok: true; /** server-final-message: v=<server signature>. */ readonly serverFinal: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Verifies a client-final message against the exchange so far: the channel binding must echo the
 * GS2 header, the nonce the combined one, and H(proof XOR HMAC(StoredKey, AuthMessage)) must equal
 * StoredKey. Constant time in the proof comparison.
 */
export function checkClientFinal(options: {
  readonly credential: ScramCredential;
  readonly first: ClientFirstMessage;
  readonly serverFirst: ServerFirst;
  readonly final: ClientFinalMessage;
}): ClientFinalCheck {
  const { credential, first, serverFirst, final } = options;
  if (!final.channelBinding.equals(Buffer.from(first.gs2Header, 'utf8'))) return { ok: false, reason: 'channel binding does not match the GS2 header' };
  if (!nonceEchoed(final.nonce, first, serverFirst)) return { ok: false, reason: 'nonce does not match' };
  const authMessage = `${first.bare},${serverFirst.message},${final.withoutProof}`;
  const clientSignature = hmac(credential.mechanism, credential.storedKey, authMessage);
  if (final.proof.length !== clientSignature.length) return { ok: false, reason: 'client proof has the wrong length' };
  const clientKey = xor(final.proof, clientSignature);
  if (!safeEqual(digest(credential.mechanism, clientKey), credential.storedKey)) return { ok: false, reason: 'invalid client proof' };
  return { ok: true, serverFinal: `v=${hmac(credential.mechanism, credential.serverKey, authMessage).toString('base64')}` };
}
