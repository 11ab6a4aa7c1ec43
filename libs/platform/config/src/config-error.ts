/** Where a rejected value came from. */
export type ConfigSource = 'environment' | 'file' | 'argument' | 'default';

export interface ConfigIssue {
  /** Schema key (camelCase), e.g. `adminPort`. */
  readonly key: string;
  /** Environment variable that sets it, e.g. `STRATUS_ADMIN_PORT`. */
  readonly envVar: string;
  /** Path of the value inside the YAML file, e.g. `adminPort` or `etcdEndpoints[1]`. */
  readonly yamlPath: string;
  /** `undefined` when no source supplied the key. */
  readonly source: ConfigSource | undefined;
  /** What the schema wanted, e.g. "expected a TCP port number between 0 and 65535". */
  readonly expected: string;
  /** The rejected value, rendered for humans; secrets are masked. */
  readonly received: string | undefined;
}

/**
 * Raised when configuration cannot be loaded. Its message is one line that names the offending
 * key both as environment variable and as YAML path, so an operator can fix it in whichever
 * place they used; a service prints it and exits with status 2 (usage error), no stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, issues: readonly ConfigIssue[] = []) {
    super(message);
    this.issues = issues;
  }

  static fromIssues(issues: readonly ConfigIssue[]): ConfigError {
    return new ConfigError(`invalid configuration: ${issues.map(formatIssue).join('; ')}`, issues);
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.envVar} (yaml: ${issue.yamlPath})`;
  if (issue.source === undefined) return `${where} is required: ${issue.expected}`;
  return `${where} = ${issue.received ?? '?'} from ${issue.source}: ${issue.expected}`;
}
