// A KRaft cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid`
// prints). Like Kafka's own Uuid.randomUuid, never one that starts with '-': the storage tool's
// argument parser would take `-t -abc…` for another option and fail the format ("--cluster-id:
// expected one argument"), which failed 1 in 64 reference-cluster starts.
import { randomBytes } from 'node:crypto';

export function randomClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
