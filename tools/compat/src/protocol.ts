// The contract between the runner and every client driver: one JSON request on stdin, one JSON
// result as the last line of stdout. Drivers stay small and dumb (they only exercise their client);
// all checking of what came back happens in the runner (verify.ts), once, for every client alike.

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const CODECS: readonly Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface Connection {
  readonly bootstrap: string;
  readonly mechanism: 'SCRAM-SHA-256' | 'PLAIN';
  readonly username: string;
  readonly password: string;
}

export type DriverOp =
  | { readonly op: 'create-topic'; readonly topic: string; readonly partitions: number }
  /** Records are key `k<i>`, value `<tag>-<i>` for i in [0, count); `tag` is the codec name. */
  | { readonly op: 'produce'; readonly topic: string; readonly codec: Codec; readonly count: number; readonly idempotent: boolean }
  /** Reads every partition from the beginning by assignment (no group) until `expect` records arrived. */
  | { readonly op: 'consume-assign'; readonly topic: string; readonly expect: number }
  /** `members` consumers in one group share the topic until together they hold `expect` records. */
  | { readonly op: 'consume-group'; readonly topic: string; readonly group: string; readonly members: number; readonly expect: number }
  /** Consumes at least `firstBatch` records in `group`, commits what it processed, closes, then a new consumer resumes until `expect`. */
  | { readonly op: 'commit-resume'; readonly topic: string; readonly group: string; readonly firstBatch: number; readonly expect: number }
  | { readonly op: 'describe-configs'; readonly topic: string }
  | { readonly op: 'alter-config'; readonly topic: string; readonly name: string; readonly value: string }
  | { readonly op: 'delete-topic'; readonly topic: string }
  /** Connects with `connection.password` (the runner makes it wrong) and reports whether it was refused. */
  | { readonly op: 'auth'; readonly topic: string };

export type DriverRequest = DriverOp & { readonly connection: Connection; readonly timeoutMs: number };

export interface ConsumedRecord {
  /** partition */
  readonly p: number;
  /** offset (decimal string: offsets are 64-bit) */
  readonly o: string;
  readonly k: string;
  readonly v: string;
  /** which consumer got it: group member index, or the commit-resume phase (0 or 1) */
  readonly m?: number;
}

export interface DriverResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly produced?: number;
  readonly records?: readonly ConsumedRecord[];
  readonly configs?: Readonly<Record<string, string>>;
  /** For `auth`: true when the client reported an authentication failure. */
  readonly refused?: boolean;
  readonly topics?: readonly string[];
}
