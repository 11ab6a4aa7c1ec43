// One deterministic run of the replication protocol: three in-memory replicas behind a lossy
// network, brokers taking the partition over with rising epochs (older ones keep running until a
// replica fences them), replica crashes at chosen moments, producers and a consumer. At the end
// the faults stop, a last leader settles the log, and invariants I1–I5 are checked.
import type { Acks } from '../leader-types';
import { PartitionLeader } from '../partition-leader';
import { epoch as toEpoch, replicaId, type Epoch, type ReplicaId } from '../types';
import { SimConsumer, SimProducer, type Ledger, type LeaderDirectory } from './sim-actors';
import { SimClock, SimRandom } from './sim-clock';
import { checkInvariants } from './invariants';
import { SimNetwork, type NetworkFaults } from './sim-network';

export type ChaosCommand =
  /** A broker takes the partition with the next epoch. */
  | { readonly at: number; readonly kind: 'new-leader' }
  /** The newest leader loses its lease and resigns. */
  | { readonly at: number; readonly kind: 'resign' }
  | { readonly at: number; readonly kind: 'crash'; readonly replica: number; readonly downFor: number }
  /** The replica applies its next operation, then crashes before answering. */
  | { readonly at: number; readonly kind: 'crash-after-apply'; readonly replica: number; readonly downFor: number };

export interface SimulationConfig {
  readonly seed: number;
  readonly faults: NetworkFaults;
  readonly commands: readonly ChaosCommand[];
  /** Virtual ms of chaos before the faults stop. */
  readonly horizon: number;
  readonly minInsyncReplicas?: number;
  readonly tailCacheBytes?: number;
  readonly maxAppendBytes?: number;
  readonly plainProducerAcks?: Acks;
}

export interface SimulationReport {
  readonly violations: string[];
  readonly stats: {
    readonly leaders: number;
    readonly committed: bigint;
    readonly acked: number;
    readonly served: number;
    readonly producedBatches: number;
    readonly virtualMs: number;
  };
}

interface LeaderSlot {
  readonly epoch: Epoch;
  readonly broker: string;
  leader: PartitionLeader | undefined;
  resigned: boolean;
}

const SETTLE_LIMIT = 20_000;

export async function runSimulation(config: SimulationConfig): Promise<SimulationReport> {
  const clock = new SimClock();
  const rng = new SimRandom(config.seed);
  const faults: NetworkFaults = { ...config.faults };
  const ids: ReplicaId[] = ['r0', 'r1', 'r2'].map(replicaId);
  const appendBrokers = new Map<number, Set<string>>();
  const net = new SimNetwork(clock, rng, faults, ids, (broker, _replica, e) => {
    const set = appendBrokers.get(e) ?? new Set<string>();
    set.add(broker);
    appendBrokers.set(e, set);
  });
  const ledger: Ledger = { acked: new Map(), served: new Map(), violations: [] };
  const slots: LeaderSlot[] = [];
  let quiescing = false;
  let finished = false;

  const startLeader = (): LeaderSlot => {
    const e = toEpoch(slots.length + 1);
    const slot: LeaderSlot = { epoch: e, broker: `broker-${e}`, leader: undefined, resigned: false };
    slots.push(slot);
    const attempt = (): void => {
      void PartitionLeader.start({
        epoch: e,
        replicas: ids.map((id) => net.link(slot.broker, id)),
        minInsyncReplicas: config.minInsyncReplicas ?? 2,
        maxMessageBytes: 1 << 20,
        clock: () => BigInt(1_700_000_000_000 + clock.now),
        tailCacheBytes: config.tailCacheBytes ?? 4096,
        maxAppendBytes: config.maxAppendBytes ?? 1024,
        retryBackoffMs: 7,
        scheduler: { defer: (task) => queueMicrotask(task), sleep: (ms) => clock.sleep(ms) },
      }).then((started) => {
        if (started.ok) {
          slot.leader = started.value;
          if (slot.resigned) started.value.resign();
          return;
        }
        // A failed recovery may have marked its epoch on some replicas, so it is never retried
        // under the same epoch: the controller assigns the partition again with a new one.
        const newest = slots[slots.length - 1] === slot;
        if (started.error.code !== 'FENCED' && newest && !slot.resigned && !finished) {
          clock.after(20, () => {
            if (slots[slots.length - 1] === slot && !finished) replace(slot);
          });
        }
      });
    };
    attempt();
    return slot;
  };
  let final: LeaderSlot | undefined;
  const replace = (slot: LeaderSlot): void => {
    const next = startLeader();
    if (final === slot) final = next;
  };

  const directory: LeaderDirectory = {
    pick: (r) => {
      const serving = slots.filter((s) => s.leader?.isServing).map((s) => s.leader as PartitionLeader);
      if (serving.length === 0) return undefined;
      // Clients mostly know the newest leader; some still talk to an older one (stale metadata).
      return r.chance(0.75) ? serving[serving.length - 1] : r.pick(serving);
    },
  };

  for (const command of config.commands) {
    clock.after(command.at, () => {
      if (quiescing) return;
      switch (command.kind) {
        case 'new-leader':
          startLeader();
          return;
        case 'resign': {
          const slot = slots[slots.length - 1];
          if (!slot) return;
          slot.resigned = true;
          slot.leader?.resign();
          return;
        }
        case 'crash':
        case 'crash-after-apply': {
          const replica = net.replicas[command.replica % net.replicas.length] as (typeof net.replicas)[number];
          if (command.kind === 'crash-after-apply') {
            net.armCrashAfterApply(replica.id, command.downFor);
            return;
          }
          replica.crash();
          clock.after(command.downFor, () => replica.restart());
          return;
        }
      }
    });
  }

  const producers = [
    new SimProducer({ producerId: 1n, acks: -1 }, clock, rng, directory, ledger, () => quiescing),
    new SimProducer({ producerId: 2n, acks: -1 }, clock, rng, directory, ledger, () => quiescing),
    new SimProducer({ producerId: -1n, acks: config.plainProducerAcks ?? 1 }, clock, rng, directory, ledger, () => quiescing),
  ];
  const consumer = new SimConsumer(clock, rng, directory, ledger, () => finished);
  startLeader();
  for (const p of producers) void p.run();
  void consumer.run();

  // Chaos, then calm: faults stop, replicas come back, a last broker takes over and settles.
  await clock.run({ limit: config.horizon });
  quiescing = true;
  faults.dropP = 0;
  net.disarmCrashes();
  for (const r of net.replicas) r.restart();
  final = startLeader();
  const settled = (): boolean => {
    const s = final?.leader?.snapshot();
    return (
      producers.every((p) => p.idle) &&
      s !== undefined &&
      s.serving &&
      s.inSync.length === 3 &&
      s.highWatermark === s.logEnd &&
      net.replicas.every((r) => r.state().logEnd === s.logEnd)
    );
  };
  await clock.run({ limit: config.horizon + SETTLE_LIMIT, done: settled });
  finished = true;
  const last = final as LeaderSlot;
  if (!settled()) ledger.violations.push(`liveness: the final leader (epoch ${last.epoch}) did not settle: ${JSON.stringify(last.leader?.snapshot() ?? 'not started', (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  const committed = last.leader?.snapshot().highWatermark ?? 0n;
  checkInvariants({ replicas: net.replicas, committed, ledger, appendBrokers, checkFinal: settled() });
  // Stop every leader (their catch-up loops retry forever otherwise) and let the last timers run out.
  for (const slot of slots) {
    slot.resigned = true;
    slot.leader?.resign();
  }
  await clock.run({ limit: clock.now + 1000 });

  return {
    violations: ledger.violations,
    stats: {
      leaders: slots.length,
      committed,
      acked: ledger.acked.size,
      served: ledger.served.size,
      producedBatches: producers.reduce((n, p) => n + p.batches, 0),
      virtualMs: clock.now,
    },
  };
}
