// Thrown by a CredentialSource when it cannot answer (metadata service unreachable, deadline
// exceeded, malformed reply). It is not an authentication failure: the client did nothing wrong and
// should retry, so the SASL layer closes the connection without answering (a disconnect is
// retriable in every Kafka client, SASL_AUTHENTICATION_FAILED is fatal) and the client learns no
// detail of the cause; the cause is kept for the router's own log.
export class CredentialSourceUnavailableError extends Error {
  override readonly name = 'CredentialSourceUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
