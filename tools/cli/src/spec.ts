// Every command the CLI knows, declared once: the parser, --help and the docs table read this.

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly value?: string;
  readonly description: string;
}

export interface CommandSpec {
  readonly group: string;
  readonly name: string;
  /** Required positional arguments, in order. */
  readonly args: readonly string[];
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  metadata: { type: 'string', value: 'host:port', description: 'metadata service gRPC address (default: metadataAddress in .stratus/local/cluster.json, or $STRATUS_METADATA)' },
  json: { type: 'boolean', description: 'machine-readable JSON output' },
  help: { type: 'boolean', description: 'show help' },
};

/** Quota and limit flags: CLI name → the field of stratus.metadata.v1.TenantQuotas. */
export const QUOTA_FLAGS = {
  'produce-bytes-per-second': { field: 'produceBytesPerSecond', bytes: true, limit: false },
  'fetch-bytes-per-second': { field: 'fetchBytesPerSecond', bytes: true, limit: false },
  'requests-per-second': { field: 'requestsPerSecond', bytes: false, limit: false },
  'max-connections': { field: 'maxConnections', bytes: false, limit: false },
  'connection-creations-per-second': { field: 'connectionCreationsPerSecond', bytes: false, limit: false },
  'partition-mutations-per-second': { field: 'partitionMutationsPerSecond', bytes: false, limit: false },
  'max-partitions': { field: 'maxPartitions', bytes: false, limit: true },
  'max-topics': { field: 'maxTopics', bytes: false, limit: true },
  'max-storage-bytes': { field: 'maxStorageBytes', bytes: true, limit: true },
} as const;
export type QuotaFlag = keyof typeof QUOTA_FLAGS;
export const QUOTA_FLAG_NAMES = Object.keys(QUOTA_FLAGS) as QuotaFlag[];

const quotaOptions = (how: string): Record<string, OptionSpec> =>
  Object.fromEntries(
    QUOTA_FLAG_NAMES.map((flag) => [flag, { type: 'string', value: QUOTA_FLAGS[flag].bytes ? 'bytes' : 'n', description: `${how} (${QUOTA_FLAGS[flag].bytes ? 'e.g. 10MiB; ' : ''}0 = none allowed)` }]),
  );

const quotaSet: Record<string, OptionSpec> = {
  ...quotaOptions('set this quota'),
  unset: { type: 'string', multiple: true, value: 'name', description: 'return a quota to the cell default (repeatable), e.g. --unset max-topics' },
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    group: 'tenants',
    name: 'create',
    args: ['name'],
    summary: 'create a tenant (a logical Kafka cluster)',
    options: {
      cell: { type: 'string', value: 'cell', description: 'cell to place the tenant in (default: chosen by the service)' },
      label: { type: 'string', multiple: true, value: 'key=value', description: 'operator label (repeatable)' },
      ...quotaOptions('initial quota'),
    },
  },
  { group: 'tenants', name: 'list', args: [], summary: 'list tenants', options: { cell: { type: 'string', value: 'cell', description: 'only tenants in this cell' } } },
  { group: 'tenants', name: 'describe', args: ['tenant'], summary: 'show a tenant with its quotas, usage and key count', options: {} },
  {
    group: 'tenants',
    name: 'update',
    args: ['tenant'],
    summary: 'rename, suspend/resume or relabel a tenant',
    options: {
      name: { type: 'string', value: 'name', description: 'new name' },
      state: { type: 'string', value: 'active|suspended', description: 'suspended tenants fail authentication; data is kept' },
      label: { type: 'string', multiple: true, value: 'key=value', description: 'add or change a label (repeatable)' },
      'replace-labels': { type: 'boolean', description: 'drop labels not given with --label' },
    },
  },
  { group: 'tenants', name: 'delete', args: ['tenant'], summary: 'delete a tenant with all its topics, data and API keys', options: {} },
  {
    group: 'api-keys',
    name: 'create',
    args: ['tenant'],
    summary: 'create an API key; the secret is printed once',
    options: {
      description: { type: 'string', value: 'text', description: 'what the key is for' },
      'super-user': { type: 'boolean', description: "the key bypasses the tenant's ACLs (Kafka super.users); use for the tenant's admin" },
    },
  },
  { group: 'api-keys', name: 'list', args: ['tenant'], summary: "list a tenant's API keys (never secrets)", options: {} },
  { group: 'api-keys', name: 'revoke', args: ['tenant', 'key-id'], summary: 'revoke an API key; new connections with it fail', options: {} },
  { group: 'quotas', name: 'get', args: ['tenant'], summary: 'show configured and effective quotas and limits', options: {} },
  { group: 'quotas', name: 'set', args: ['tenant'], summary: 'change quotas and limits (others stay as they are)', options: quotaSet },
  { group: 'limits', name: 'get', args: ['tenant'], summary: 'show the count limits (max partitions, topics, storage)', options: {} },
  { group: 'limits', name: 'set', args: ['tenant'], summary: 'change count limits (same flags as quotas set)', options: quotaSet },
  { group: 'topics', name: 'list', args: ['tenant'], summary: "list a tenant's topics", options: {} },
  { group: 'topics', name: 'describe', args: ['tenant', 'topic'], summary: 'show a topic: configs and every partition', options: {} },
  { group: 'status', name: '', args: [], summary: 'cluster health: nodes by layer and AZ, partitions without a full replica set, tiering lag', options: {} },
];

export function commandTitle(c: CommandSpec): string {
  return [c.group, c.name, ...c.args.map((a) => `<${a}>`)].filter(Boolean).join(' ');
}
