import { describeError, errorName, isRetriable, type ErrorCode } from './errors';

/**
 * A Kafka error as a value: the code that goes on the wire plus an optional message for the response's
 * error_message field (where the API has one) and for logs. Domain code returns these rather than
 * throwing; `toError()` exists for the few places that must cross an exception boundary.
 */
export class KafkaError {
  readonly code: ErrorCode;
  readonly message: string | undefined;

  constructor(code: ErrorCode, message?: string) {
    this.code = code;
    this.message = message;
  }

  get name(): string {
    return errorName(this.code);
  }

  get retriable(): boolean {
    return isRetriable(this.code);
  }

  /** The specific message if one was given, else the table's default text. */
  describe(): string {
    return this.message ?? describeError(this.code).message;
  }

  toString(): string {
    return `${this.name}(${this.code}): ${this.describe()}`;
  }

  toError(): KafkaErrorException {
    return new KafkaErrorException(this);
  }
}

/** Carries a KafkaError through code that can only throw (callbacks, stream handlers). */
export class KafkaErrorException extends Error {
  readonly kafkaError: KafkaError;

  constructor(kafkaError: KafkaError) {
    super(kafkaError.toString());
    this.name = 'KafkaErrorException';
    this.kafkaError = kafkaError;
  }
}

/** Shorthand for `new KafkaError(code, message)`. */
export function kafkaError(code: ErrorCode, message?: string): KafkaError {
  return new KafkaError(code, message);
}
