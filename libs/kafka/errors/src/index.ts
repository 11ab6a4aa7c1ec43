export { errorRows, type ErrorRow } from './table';
export {
  ErrorCode,
  kafkaErrors,
  allKafkaErrors,
  isKnownErrorCode,
  describeError,
  isRetriable,
  errorName,
  type ErrorName,
  type ErrorInfo,
} from './errors';
export { KafkaError, KafkaErrorException, kafkaError } from './kafka-error';
