// Child process for the kill -9 test: opens a partition in the directory given as argv[2] and
// streams pipelined appends of deterministic batches forever, printing "ack <logEnd>" for each
// acknowledged append. The parent kills it with SIGKILL at an arbitrary moment.
import { NodeFileIo } from './file-io';
import { PartitionReplica } from './partition-replica';
import { crashTestBatch } from './test-batches';
import { DEFAULT_PARTITION_LOG_CONFIG, leaderEpoch, partitionKey } from './types';

async function main(): Promise<void> {
  const dir = process.argv[2] as string;
  const epoch = leaderEpoch(Number(process.argv[3] ?? '1'));
  const replica = await PartitionReplica.open({
    key: partitionKey('0123456789abcdef0123456789abcdef', 0),
    dir,
    io: new NodeFileIo(),
    config: { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: 256 * 1024 },
  });
  const fenced = await replica.fence(epoch);
  if (!fenced.ok) throw new Error(fenced.error.message);
  let next = fenced.value.logEnd;
  process.stdout.write(`ready ${next}\n`);
  const inFlight = new Set<Promise<void>>();
  for (;;) {
    const base = next;
    next += 1n;
    const p = replica.append(epoch, base, crashTestBatch(base, epoch)).then((r) => {
      if (!r.ok) throw new Error(`append ${base}: ${r.error.code} ${r.error.message}`);
      process.stdout.write(`ack ${r.value.logEnd}\n`);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
