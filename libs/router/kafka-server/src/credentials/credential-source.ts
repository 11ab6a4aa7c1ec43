// The port through which the router learns about credentials. The production implementation reads
// them from the metadata service (gRPC, watched cache); tests use InMemoryCredentialSource.
import type { Principal, ScramMechanism } from '../types';
import type { ScramCredential } from '@stratus/kafka-scram';

export interface ScramLookup {
  readonly credential: ScramCredential;
  readonly principal: Principal;
}

export interface CredentialSource {
  /** The SCRAM credential of a user for one mechanism, or undefined when there is none. */
  scramCredential(username: string, mechanism: ScramMechanism): Promise<ScramLookup | undefined>;
  /** Checks a PLAIN user/password pair against the stored salted hash; undefined when it does not match. */
  verifyPlain(username: string, password: string): Promise<Principal | undefined>;
}
