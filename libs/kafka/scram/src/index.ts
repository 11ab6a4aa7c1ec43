// @stratus/kafka-scram: SCRAM-SHA-256/512 for Kafka (RFC 5802, RFC 7677, KIP-84): credential
// derivation, message parsing and the server's proof check, shared by metadata and the router.
export {
  deriveScramCredential,
  deriveScramCredentialSync,
  digest,
  hmac,
  safeEqual,
  saltedPassword,
  scramCredentialFromSaltedPassword,
  scramHash,
  xor,
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  SCRAM_MECHANISMS,
  type DeriveScramOptions,
  type ScramCredential,
  type ScramMechanism,
} from './crypto';
export { decodeSaslName, parseClientFinal, parseClientFirst, type ClientFinalMessage, type ClientFirstMessage } from './messages';
export { checkClientFinal, serverFirstMessage, type ClientFinalCheck, type ServerFirst } from './exchange';
