// The machine's own ceilings, measured in the same run as the targets: every throughput in the
// report is also given as a fraction of these, so "Stratus did 40 MB/s" reads against what this box
// can move at all (a loaded 2-core VM and a bare-metal server differ by orders of magnitude).
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  readonly hostname: string;
  readonly kernel: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

export interface MachineLimits {
  /** Bytes/s one process sends to another over 127.0.0.1. */
  readonly tcpLoopbackBytesPerSec: number;
  /** Bytes/s of sequential 1 MiB writes ending with fsync, in the directory the targets use. */
  readonly diskWriteBytesPerSec: number;
}

export function machineInfo(): MachineInfo {
  return {
    hostname: hostname(),
    kernel: release(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    loadAverage: loadavg(),
  };
}

// The receiving side runs in a separate process so the figure includes a real cross-process copy.
const SINK = `
const net = require('node:net');
const server = net.createServer((s) => { s.on('data', () => {}); s.on('end', () => s.end()); });
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

export async function tcpLoopbackThroughput(options: { seconds: number }): Promise<number> {
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      sink.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      sink.once('exit', (code) => reject(new Error(`loopback sink exited with ${code}`)));
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(Math.round(options.seconds * 1e9));
    let sent = 0;
    while (process.hrtime.bigint() < deadline) {
      sent += chunk.length;
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    await new Promise<void>((resolve) => socket.end(resolve));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    socket.destroy();
    return sent / seconds;
  } finally {
    sink.kill('SIGTERM');
  }
}

export function sequentialDiskWrite(options: { dir: string; megabytes: number }): number {
  const path = join(options.dir, `bench-harness-disk-${process.pid}.tmp`);
  const chunk = Buffer.alloc(1024 * 1024, 3);
  const fd = openSync(path, 'w');
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < options.megabytes; i++) writeSync(fd, chunk);
    // acks=all durability in both systems ends in the page cache plus replication, but an fsync'd
    // figure is the honest ceiling for "bytes that reached the disk".
    fsyncSync(fd);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return (options.megabytes * chunk.length) / seconds;
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

export async function measureMachineLimits(options: { dir: string }): Promise<MachineLimits> {
  const tcpLoopbackBytesPerSec = await tcpLoopbackThroughput({ seconds: 2 });
  const diskWriteBytesPerSec = sequentialDiskWrite({ dir: options.dir, megabytes: 256 });
  return { tcpLoopbackBytesPerSec, diskWriteBytesPerSec };
}
