export { ConfigError, formatIssue, type ConfigIssue, type ConfigSource } from './config-error';
export { loadConfig, DEFAULT_ENV_PREFIX, type LoadConfigOptions } from './load-config';
export { envVarName, toScreamingSnake } from './names';
export { baseConfigShape, etcdEndpoints, LOG_LEVELS, type BaseConfig, type LogLevel, type BaseConfigDefaults } from './base-schema';
export {
  boolean,
  bytes,
  durationMs,
  hostPort,
  httpUrl,
  integer,
  list,
  oneOf,
  port,
  text,
  type IntegerFieldOptions,
} from './fields';
