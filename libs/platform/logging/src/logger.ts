import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values never reach a log line. Credentials flow through the router (SASL
 * PLAIN/SCRAM exchanges carry passwords in `auth_bytes`, KIP-152/KIP-255) and API keys reach the
 * metadata service, so a stray `logger.debug({ request })` must not leak them.
 */
export const REDACTED_KEYS = [
  'password',
  'secret',
  'apiSecret',
  'token',
  'authorization',
  'authBytes',
  'auth_bytes',
  'saslBytes',
  'saslAuthBytes',
  'saslPassword',
  'saslPlain',
  'saslScram',
  'sasl',
] as const;

/** How deep below the top level a redacted key is still found (pino redaction needs explicit paths). */
const REDACT_DEPTH = 3;

export const REDACTION_CENSOR = '[REDACTED]';

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) {
    let prefix = '';
    for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
      paths.push(`${prefix}${key}`);
      prefix += '*.';
    }
  }
  // HTTP-style header bags
  paths.push('headers.authorization', '*.headers.authorization');
  return paths;
}

export interface CreateLoggerOptions {
  /** Service name, bound to every line as `service`. */
  readonly service: string;
  readonly level?: LevelWithSilent;
  /** Extra fields bound to every line (node id, az, cell ...). */
  readonly bindings?: Record<string, unknown>;
  /** Where lines go; defaults to stdout written synchronously so nothing is lost on exit. */
  readonly destination?: DestinationStream;
}

/** JSON logger for a Stratus process. Use `logger.child({...})` to bind tenant, api, correlation id. */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid, ...options.bindings },
      redact: { paths: redactPaths(), censor: REDACTION_CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        // Level names ("info") rather than numbers are what log pipelines and people search for.
        level: (label) => ({ level: label }),
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
