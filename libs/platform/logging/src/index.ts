export { createLogger, REDACTED_KEYS, REDACTION_CENSOR, type CreateLoggerOptions, type Logger } from './logger';
