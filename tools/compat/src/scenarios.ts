// The one list of scenarios every client runs, in order, against one topic of its own. Later
// scenarios depend on earlier ones (consume reads what produce wrote), so a client's list runs
// sequentially; different clients never share a topic or a group.
import { CODECS, type Codec, type DriverOp } from './protocol';

export interface SuiteOptions {
  /** Records per produce scenario: 1,000 by default, 100,000 with --full (the size). */
  readonly records: number;
  readonly partitions: number;
}

export type ScenarioId =
  | 'create-topic'
  | `produce-${Codec}`
  | 'consume-assign'
  | 'consume-group'
  | 'commit-resume'
  | 'describe-configs'
  | 'alter-config'
  | 'delete-topic'
  | 'wrong-password';

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  /** The driver request for a client whose topic and group prefix are given. */
  readonly request: (ctx: { topic: string; group: string; codecs: readonly Codec[] }, options: SuiteOptions) => DriverOp;
}

/** The config the alter scenario sets; retention.ms exists on every Kafka version and is per topic. */
export const ALTERED_CONFIG = { name: 'retention.ms', value: '7654321' } as const;

/** How many records the consume scenarios expect: every codec the client produced. */
export function expectedRecords(codecs: readonly Codec[], options: SuiteOptions): number {
  return codecs.length * options.records;
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'create-topic', title: 'create topic', request: ({ topic }, o) => ({ op: 'create-topic', topic, partitions: o.partitions }) },
  ...CODECS.map(
    (codec): Scenario => ({
      id: `produce-${codec}`,
      title: `produce (${codec}, idempotent)`,
      request: ({ topic }, o) => ({ op: 'produce', topic, codec, count: o.records, idempotent: true }),
    }),
  ),
  { id: 'consume-assign', title: 'consume all, no group (assign)', request: ({ topic, codecs }, o) => ({ op: 'consume-assign', topic, expect: expectedRecords(codecs, o) }) },
  {
    id: 'consume-group',
    title: 'consume all in a group of 3',
    request: ({ topic, group, codecs }, o) => ({ op: 'consume-group', topic, group: `${group}-g3`, members: 3, expect: expectedRecords(codecs, o) }),
  },
  {
    id: 'commit-resume',
    title: 'commit and resume',
    request: ({ topic, group, codecs }, o) => {
      const expect = expectedRecords(codecs, o);
      return { op: 'commit-resume', topic, group: `${group}-resume`, firstBatch: Math.floor(expect / 2), expect };
    },
  },
  { id: 'describe-configs', title: 'describe topic configs', request: ({ topic }) => ({ op: 'describe-configs', topic }) },
  { id: 'alter-config', title: 'alter a topic config', request: ({ topic }) => ({ op: 'alter-config', topic, ...ALTERED_CONFIG }) },
  { id: 'delete-topic', title: 'delete topic', request: ({ topic }) => ({ op: 'delete-topic', topic }) },
  { id: 'wrong-password', title: 'wrong password is refused', request: ({ topic }) => ({ op: 'auth', topic }) },
];
