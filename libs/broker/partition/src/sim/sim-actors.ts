// The clients of the simulation: idempotent acks=all producers, a plain acks=1 producer and a
// consumer, all following stale or current leaders, all writing what they were told into the
// ledger that the invariant checks read.
import { ErrorCode } from '@stratus/kafka-errors';
import type { Acks } from '../leader-types';
import type { PartitionLeader } from '../partition-leader';
import { producerBatch, valuesOf } from '../testing/batches';
import type { SimClock, SimRandom } from './sim-clock';

export interface Ledger {
  /** acks=all acknowledged records: value → offset. */
  readonly acked: Map<string, bigint>;
  /** Everything a consumer was served: offset → value. */
  readonly served: Map<bigint, string>;
  readonly violations: string[];
}

export interface LeaderDirectory {
  /** The leader a client would use now: mostly the newest serving one, sometimes a stale one. */
  pick(rng: SimRandom): PartitionLeader | undefined;
}

export interface ProducerSpec {
  /** -1 for a plain (non-idempotent) producer. */
  readonly producerId: bigint;
  readonly acks: Acks;
}

const PRODUCE_TIMEOUT = 300;

export class SimProducer {
  private producerEpoch = 0;
  private sequence = 0;
  private attempt = 0;
  idle = false;
  batches = 0;

  constructor(
    private readonly spec: ProducerSpec,
    private readonly clock: SimClock,
    private readonly rng: SimRandom,
    private readonly leaders: LeaderDirectory,
    private readonly ledger: Ledger,
    private readonly stopping: () => boolean,
  ) {}

  get idempotent(): boolean {
    return this.spec.producerId >= 0n;
  }

  async run(): Promise<void> {
    let current: string[] | undefined;
    while (true) {
      if (!current) {
        if (this.stopping()) {
          this.idle = true;
          return;
        }
        current = this.nextValues();
      }
      const leader = this.leaders.pick(this.rng);
      if (!leader) {
        await this.clock.sleep(10);
        continue;
      }
      const records = producerBatch({
        values: current,
        producerId: this.idempotent ? this.spec.producerId : undefined,
        producerEpoch: this.idempotent ? this.producerEpoch : undefined,
        baseSequence: this.idempotent ? this.sequence : undefined,
      });
      const answer = await Promise.race([leader.produce({ records, acks: this.spec.acks }), this.clock.sleep(PRODUCE_TIMEOUT).then(() => undefined)]);
      if (answer?.ok) {
        if (this.spec.acks === -1) current.forEach((v, i) => this.recordAck(v, answer.value.baseOffset + BigInt(i)));
        if (this.idempotent) this.sequence += current.length;
        this.batches++;
        current = undefined;
        await this.clock.sleep(this.rng.int(1, 10));
        continue;
      }
      if (answer && (answer.error.code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || answer.error.code === ErrorCode.INVALID_PRODUCER_EPOCH)) {
        // With acks=all every acknowledged batch is committed, so the leader always knows our last
        // sequence: a gap or epoch refusal means producer state was lost.
        this.ledger.violations.push(`producer ${this.spec.producerId} got ${answer.error.code} (${answer.error.message})`);
        this.producerEpoch++;
        this.sequence = 0;
        current = this.nextValues();
      }
      if (!this.idempotent) current = this.nextValues();
      await this.clock.sleep(this.rng.int(5, 20));
    }
  }

  /** Values name the batch they belong to, so I5 can be checked on the final log. */
  private nextValues(): string[] {
    const n = this.rng.int(1, 3);
    const id = this.idempotent ? `p${this.spec.producerId}e${this.producerEpoch}s${this.sequence}` : `plain${this.attempt++}`;
    return Array.from({ length: n }, (_, i) => `${id}r${i}`);
  }

  private recordAck(value: string, offset: bigint): void {
    const before = this.ledger.acked.get(value);
    if (before !== undefined && before !== offset) this.ledger.violations.push(`I5: ${value} acknowledged at ${before} and at ${offset}`);
    this.ledger.acked.set(value, offset);
  }
}

export class SimConsumer {
  private position = 0n;
  fetches = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly rng: SimRandom,
    private readonly leaders: LeaderDirectory,
    private readonly ledger: Ledger,
    private readonly stopped: () => boolean,
  ) {}

  async run(): Promise<void> {
    while (!this.stopped()) {
      await this.clock.sleep(this.rng.int(3, 15));
      const leader = this.leaders.pick(this.rng);
      if (!leader) continue;
      const fetched = await leader.fetch({ offset: this.position, maxBytes: this.rng.int(1, 4096) });
      if (!fetched.ok) continue;
      this.fetches++;
      for (const { offset, value } of valuesOf(fetched.value.records)) {
        if (offset < this.position) continue;
        if (offset >= fetched.value.highWatermark) this.ledger.violations.push(`fetch returned offset ${offset} at or above HW ${fetched.value.highWatermark}`);
        const before = this.ledger.served.get(offset);
        if (before !== undefined && before !== value) this.ledger.violations.push(`I2: offset ${offset} served as ${before} and later as ${value}`);
        this.ledger.served.set(offset, value);
      }
      if (fetched.value.nextOffset > this.position) this.position = fetched.value.nextOffset;
    }
  }
}
