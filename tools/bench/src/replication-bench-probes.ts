// Load-robust probes for the replication append bench. On a shared 2-core host MB/s swings with
// other people's work; these two figures move far less and say WHY an append side is slower:
// - write occupancy: how many data writes were in flight, time-averaged, and the share of wall
//   time with none in flight (the disk path idling while the node checks or waits);
// - CPU per thread group: the main (event-loop) thread vs all other threads (libuv's pool doing
//   the copies into the page cache), from /proc/self/task (Linux only; zeros elsewhere).
import { readFileSync, readdirSync } from 'node:fs';
import { ForwardingFileIo, type FileHandleIo, type FileIo, type OpenMode } from '@stratus/replication-partition-log';

/** Time-weighted count of writes in flight. */
export class WriteOccupancy {
  private inFlight = 0;
  private last = process.hrtime.bigint();
  private start = this.last;
  private area = 0n;
  private idle = 0n;

  reset(): void {
    this.inFlight = 0;
    this.start = this.last = process.hrtime.bigint();
    this.area = 0n;
    this.idle = 0n;
  }

  private step(delta: number): void {
    const now = process.hrtime.bigint();
    const dt = now - this.last;
    this.area += dt * BigInt(this.inFlight);
    if (this.inFlight === 0) this.idle += dt;
    this.last = now;
    this.inFlight += delta;
  }

  async track<T>(write: () => Promise<T>): Promise<T> {
    this.step(1);
    try {
      return await write();
    } finally {
      this.step(-1);
    }
  }

  /** Since reset(): mean writes in flight, and the share of time with none in flight. */
  read(): { meanInFlight: number; idleShare: number } {
    this.step(0);
    const wall = Number(this.last - this.start) || 1;
    return { meanInFlight: Number(this.area) / wall, idleShare: Number(this.idle) / wall };
  }
}

/** A FileIo that counts the data writes (writeAll / writevAll) of the files it opens. */
export class OccupancyFileIo extends ForwardingFileIo {
  constructor(
    inner: FileIo,
    private readonly occupancy: WriteOccupancy,
  ) {
    super(inner);
  }

  override async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    const h = await this.inner.open(path, mode);
    const o = this.occupancy;
    return {
      writeAll: (buffer, position) => o.track(() => h.writeAll(buffer, position)),
      writevAll: (buffers, position) => o.track(() => h.writevAll(buffers, position)),
      read: (buffer, offset, length, position) => h.read(buffer, offset, length, position),
      sync: () => h.sync(),
      truncate: (length) => h.truncate(length),
      size: () => h.size(),
      close: () => h.close(),
    };
  }
}

/** USER_HZ: /proc reports thread CPU time in clock ticks of 10 ms on Linux. */
const MS_PER_TICK = 10;

/** CPU milliseconds so far of this process's main thread and of all its other threads. */
export function threadCpuMs(): { main: number; other: number } {
  let main = 0;
  let other = 0;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return { main: 0, other: 0 };
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after "(comm) ": state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
    if (Number(tid) === process.pid) main += ms;
    else other += ms;
  }
  return { main, other };
}
