// SCRAM credentials as metadata stores them: the derivation lives in @stratus/kafka-scram, shared
// with the router that runs the exchange, so both sides can never disagree on the key schedule.
export {
  deriveScramCredential,
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  SCRAM_MECHANISMS,
  scramCredentialFromSaltedPassword,
  type DeriveScramOptions,
  type ScramCredential,
  type ScramMechanism,
} from '@stratus/kafka-scram';
