// An in-memory replica that enforces the replica rules of design/replication-protocol.md exactly
// as the replication node does (libs/replication/partition-log): for unit tests and the
// deterministic simulation. Everything it stores counts as durable; `crash()` makes it refuse
// every call until `restart()`, and aborts a repair in progress, which is what a real crash does.
import { assignEpoch, truncateHistory } from './epoch-history';
import { framesOf, type Frame } from './batch-frames';
import type {
  AppendRequest,
  ReadRequest,
  ReadResponse,
  RepairRequest,
  ReplicaError,
  ReplicaLogState,
  ReplicaPort,
  ReplicaResult,
} from './replica-port';
import { failure, success, type Epoch, type EpochStart, type ReplicaId } from './types';

/** One accepted append, kept so tests can check I4 (one broker per epoch, epochs never go back). */
export interface AcceptedAppend {
  readonly epoch: Epoch;
  readonly baseOffset: bigint;
  readonly endOffset: bigint;
}

export interface MemoryReplicaOptions {
  readonly id: ReplicaId;
  /** How Repair reaches its source replica (in the simulation: through the simulated network). */
  readonly resolvePeer?: (id: ReplicaId) => ReplicaPort | undefined;
  /** Largest read Repair asks of its source at once. */
  readonly repairChunkBytes?: number;
}

export class MemoryReplica implements ReplicaPort {
  readonly id: ReplicaId;
  private promised: Epoch | undefined;
  private history: readonly EpochStart[] = [];
  private frames: Frame[] = [];
  /** Logical start (DeleteRecords). */
  private start = 0n;
  /** First offset still stored (local retention after tiering); reads serve from max(start, localStart). */
  private localStart = 0n;
  private end = 0n;
  private down = false;
  private incarnation = 0;
  private readonly accepted: AcceptedAppend[] = [];

  constructor(private readonly options: MemoryReplicaOptions) {
    this.id = options.id;
  }

  // ---- test and simulation controls ---------------------------------------------------------

  crash(): void {
    this.down = true;
    this.incarnation++;
  }

  restart(): void {
    this.down = false;
  }

  get isDown(): boolean {
    return this.down;
  }

  state(): ReplicaLogState {
    return { promisedEpoch: this.promised, logStart: this.servable(), durableLogStart: this.start, logEnd: this.end, epochHistory: this.history };
  }

  /**
   * Local retention (DELETE_SCOPE_LOCAL_ONLY) as tiered storage drives it: whole batches ending at
   * or below `offset` leave this replica, the logical start stays (their records live on in the tier).
   */
  dropLocalBefore(offset: bigint): void {
    const kept = this.frames.filter((f) => f.endOffset > offset);
    const first = kept[0];
    this.localStart = first ? first.baseOffset : this.end;
    if (this.localStart < this.start) this.localStart = this.start;
    this.frames = kept;
  }

  private servable(): bigint {
    return this.localStart > this.start ? this.localStart : this.start;
  }

  /** Every stored batch, in offset order. */
  batches(): readonly Frame[] {
    return this.frames;
  }

  acceptedAppends(): readonly AcceptedAppend[] {
    return this.accepted;
  }

  // ---- rule 1 ---------------------------------------------------------------------------------

  async fence(epoch: Epoch): Promise<ReplicaResult<ReplicaLogState>> {
    if (this.down) return unavailable(this.id);
    if (this.promised !== undefined && epoch < this.promised) return failure({ code: 'FENCED', promisedEpoch: this.promised });
    this.promised = epoch;
    return success(this.state());
  }

  // ---- rule 2 ---------------------------------------------------------------------------------

  async append(request: AppendRequest): Promise<ReplicaResult<{ readonly logEnd: bigint }>> {
    const gate = this.gate(request.epoch);
    if (gate) return failure(gate);
    if (request.baseOffset !== this.end) return failure({ code: 'OUT_OF_ORDER', logEnd: this.end });
    const frames = framesOf(request.records, request.baseOffset, request.endOffset);
    if (typeof frames === 'string') return failure({ code: 'CORRUPT', message: frames });
    const stamped = frames.find((f) => f.partitionLeaderEpoch !== request.epoch);
    if (stamped) {
      return failure({ code: 'CORRUPT', message: `batch at ${stamped.baseOffset} carries epoch ${stamped.partitionLeaderEpoch}, expected ${request.epoch}` });
    }
    this.history = assignEpoch(this.history, request.epoch, request.baseOffset);
    this.store(frames);
    this.accepted.push({ epoch: request.epoch, baseOffset: request.baseOffset, endOffset: this.end });
    return success({ logEnd: this.end });
  }

  // ---- rule 3 ---------------------------------------------------------------------------------

  async truncate(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const gate = this.gate(epoch);
    if (gate) return failure(gate);
    if (offset < this.servable() || offset > this.end) return failure({ code: 'OFFSET_OUT_OF_RANGE', logStart: this.servable(), logEnd: this.end });
    // As the disk replica: a cut at the log end changes nothing (not even a mark there).
    if (offset === this.end) return success(this.state());
    // Like the disk log: a cut inside a batch goes down to that batch's start.
    const keep = this.frames.filter((f) => f.endOffset <= offset);
    this.frames = keep;
    this.end = keep.length > 0 ? (keep[keep.length - 1] as Frame).endOffset : this.servable();
    this.history = truncateHistory(this.history, this.end);
    return success(this.state());
  }

  async markEpochStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const gate = this.gate(epoch);
    if (gate) return failure(gate);
    if (offset !== this.end) return failure({ code: 'OUT_OF_ORDER', logEnd: this.end });
    this.history = assignEpoch(this.history, epoch, offset);
    return success(this.state());
  }

  async repair(request: RepairRequest): Promise<ReplicaResult<ReplicaLogState>> {
    const gate = this.gate(request.epoch);
    if (gate) return failure(gate);
    if (request.startOffset !== this.end) return failure({ code: 'OUT_OF_ORDER', logEnd: this.end });
    const peer = this.options.resolvePeer?.(request.source);
    if (!peer) return failure({ code: 'PEER_UNAVAILABLE', message: `no route to ${request.source}` });
    const life = this.incarnation;
    let at = request.startOffset;
    while (at < request.endOffset) {
      const read = await peer.read({ offset: at, maxBytes: this.options.repairChunkBytes ?? 1 << 20, maxOffset: request.endOffset });
      // Everything may have changed while we waited: a crash, a newer fence, another writer.
      if (this.incarnation !== life || this.down) return unavailable(this.id);
      const again = this.gate(request.epoch);
      if (again) return failure(again);
      if (this.end !== at) return failure({ code: 'OUT_OF_ORDER', logEnd: this.end });
      if (!read.ok) return failure({ code: 'PEER_UNAVAILABLE', message: `reading ${request.source} at ${at}: ${read.error.code}` });
      if (read.value.nextOffset <= at) return failure({ code: 'PEER_UNAVAILABLE', message: `${request.source} has nothing at ${at}` });
      const frames = framesOf(read.value.records, at);
      if (typeof frames === 'string') return failure({ code: 'CORRUPT', message: frames });
      // Copied batches keep their epochs; the history follows them as a Kafka follower's does.
      let history = this.history;
      for (const f of frames) {
        const latest = history[history.length - 1]?.epoch ?? -1;
        if (f.partitionLeaderEpoch < latest || f.partitionLeaderEpoch > request.epoch) {
          return failure({ code: 'CORRUPT', message: `copied batch at ${f.baseOffset} has epoch ${f.partitionLeaderEpoch}` });
        }
        history = assignEpoch(history, f.partitionLeaderEpoch as Epoch, f.baseOffset);
      }
      this.history = history;
      this.store(frames);
      at = this.end;
    }
    return success(this.state());
  }

  async advanceLogStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const gate = this.gate(epoch);
    if (gate) return failure(gate);
    if (offset < 0n || offset > this.end) return failure({ code: 'OFFSET_OUT_OF_RANGE', logStart: this.servable(), logEnd: this.end });
    if (offset <= this.start) return success(this.state());
    // As the disk replica: whole batches below the start go, the one holding it stays (unserved
    // below the start), and the epoch history starts at the new start.
    this.start = offset;
    this.frames = this.frames.filter((f) => f.endOffset > offset);
    this.history = historyFromStart(this.history, offset);
    return success(this.state());
  }

  // ---- reads ----------------------------------------------------------------------------------

  async read(request: ReadRequest): Promise<ReplicaResult<ReadResponse>> {
    if (this.down) return unavailable(this.id);
    const out = readFrames(this.frames, { ...request, logStart: this.servable(), logEnd: this.end });
    return 'code' in out ? failure(out) : success(out);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private store(frames: readonly Frame[]): void {
    for (const f of frames) this.frames.push(f);
    this.end = (frames[frames.length - 1] as Frame).endOffset;
  }

  private gate(epoch: Epoch): ReplicaError | undefined {
    if (this.down) return { code: 'UNAVAILABLE', message: `${this.id} is down` };
    if (this.promised === undefined || epoch > this.promised) return { code: 'NOT_FENCED', promisedEpoch: this.promised };
    if (epoch < this.promised) return { code: 'FENCED', promisedEpoch: this.promised };
    return undefined;
  }
}

/** The epoch history of a log starting at `start`: the entry in force there begins at `start` (Kafka's truncateFromStart). */
function historyFromStart(history: readonly EpochStart[], start: bigint): readonly EpochStart[] {
  let first = 0;
  history.forEach((e, i) => {
    if (e.startOffset <= start) first = i;
  });
  return history.slice(first).map((e) => (e.startOffset < start ? { epoch: e.epoch, startOffset: start } : e));
}

function unavailable(id: ReplicaId): { readonly ok: false; readonly error: ReplicaError } {
  return failure({ code: 'UNAVAILABLE', message: `${id} is down` });
}

/**
 * Whole batches from the one containing `offset`, never one ending above `maxOffset`, at least one
 * when any fits (KIP-74), then as many as fit in maxBytes. Shared with the leader's tail cache.
 */
export function readFrames(
  frames: readonly Frame[],
  request: ReadRequest & { readonly logStart: bigint; readonly logEnd: bigint },
): ReadResponse | ReplicaError {
  const { offset, maxBytes, maxOffset, logStart, logEnd } = request;
  if (offset < logStart || offset > logEnd) return { code: 'OFFSET_OUT_OF_RANGE', logStart, logEnd };
  let i = firstFrameAtOrAfter(frames, offset);
  const out: Buffer[] = [];
  let bytes = 0;
  let next = offset;
  for (; i < frames.length; i++) {
    const f = frames[i] as Frame;
    if (f.endOffset > maxOffset) break;
    if (out.length > 0 && bytes + f.bytes.length > maxBytes) break;
    out.push(f.bytes);
    bytes += f.bytes.length;
    next = f.endOffset;
  }
  return { records: out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out, bytes), nextOffset: next, logStart, logEnd };
}

/** Index of the frame holding `offset`, or of the first one after it (binary search). */
function firstFrameAtOrAfter(frames: readonly Frame[], offset: bigint): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((frames[mid] as Frame).endOffset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
