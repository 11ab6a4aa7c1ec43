// One real Kafka client process in a consumer group, for the group chaos tests (issue 7). Every
// member program (Java kafka-clients, confluent-kafka/librdkafka, kafkajs) prints the same JSON event
// lines on stdout — see tools/local-cluster/java/GroupMember.java — and closes cleanly on "close" on
// stdin, so a test can follow what each member was assigned, consumed and committed, kill -9 it and
// restart it, whatever the client library.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { workspaceRoot } from '@stratus/platform-testing';

export interface ConsumedAt {
  readonly p: number;
  readonly o: number;
  /** Date.now() when the test saw the event. */
  readonly at: number;
}

export interface MemberCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** One member process; `records`, `commits`, `assignments` and `generations` grow as it prints events. */
export class MemberProcess {
  readonly records: ConsumedAt[] = [];
  readonly commits: ConsumedAt[] = [];
  /** Every `assigned` event in order (the whole assignment each time). */
  readonly assignments: { parts: number[]; at: number }[] = [];
  readonly generations: { generation: number; member: string; at: number }[] = [];
  private output = '';
  private stderr = '';
  readonly exited: Promise<number | null>;
  /** Resolves when the process has exited and its stdout and stderr are read to the end. */
  private readonly drained: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.drained = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /** Starts `command` (the process itself, not a shell around it: kill -9 must reach the client). */
  static spawn(name: string, command: MemberCommand): MemberProcess {
    return new MemberProcess(name, spawn(command.command, [...command.args], { cwd: workspaceRoot(), env: { ...process.env, ...command.env }, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  private onData(chunk: string): void {
    this.output += chunk;
    let newline: number;
    while ((newline = this.output.indexOf('\n')) >= 0) {
      const line = this.output.slice(0, newline).trim();
      this.output = this.output.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      let ev: { ev: string; p?: number; o?: number; parts?: number[]; generation?: number; member?: string };
      try {
        ev = JSON.parse(line) as typeof ev;
      } catch {
        continue; // not one of our events (a client library's own output)
      }
      const at = Date.now();
      if (ev.ev === 'rec') this.records.push({ p: ev.p ?? -1, o: ev.o ?? -1, at });
      else if (ev.ev === 'commit') this.commits.push({ p: ev.p ?? -1, o: ev.o ?? -1, at });
      else if (ev.ev === 'assigned') this.assignments.push({ parts: ev.parts ?? [], at });
      else if (ev.ev === 'gen') this.generations.push({ generation: ev.generation ?? -1, member: ev.member ?? '', at });
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The member's current assignment (empty before the first). */
  assignment(): number[] {
    return this.assignments.at(-1)?.parts ?? [];
  }

  generation(): number {
    return this.generations.at(-1)?.generation ?? -1;
  }

  /**
   * kill -9: no LeaveGroup, no commit, no close. Resolves once every line the member printed before
   * it died has been read: lines still in the pipe at the kill are recorded (stamped after it) before
   * this returns, so a test can take the member's events as complete. The wait for the pipes is
   * bounded in case a process the member started still holds them open.
   */
  async kill9(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  }

  /** Asks the consumer to close cleanly (its commits are synchronous already); kills it if it hangs. */
  async close(timeoutMs = 60_000): Promise<void> {
    if (!this.running) return;
    this.child.stdin.end('close\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  describe(): string {
    return `${this.name}: assignment [${this.assignment().join(',')}], generation ${this.generation()}, ${this.records.length} records, ${this.commits.length} commits; stderr: ${this.stderr.slice(-600)}`;
  }
}
