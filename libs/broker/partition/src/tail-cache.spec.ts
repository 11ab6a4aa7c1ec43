// The tail cache must not pin large gRPC messages through views of one partition's batch.
import { ownMemory } from './tail-cache';
import type { Frame } from './batch-frames';

function frameOver(bytes: Buffer): Frame {
  return { baseOffset: 0n, endOffset: 1n, partitionLeaderEpoch: 0, bytes };
}

describe('TailCache memory ownership', () => {
  it('copies a batch that is a small view into a large message', () => {
    const message = Buffer.alloc(1024 * 1024, 1);
    const batch = message.subarray(1000, 1000 + 16 * 1024);
    const kept = ownMemory(frameOver(batch));
    expect(kept.bytes.equals(batch)).toBe(true);
    expect(kept.bytes.buffer).not.toBe(message.buffer);
    expect(kept.bytes.buffer.byteLength).toBeLessThan(64 * 1024);
  });

  it('keeps a batch that is (nearly) its whole message without copying', () => {
    const message = Buffer.alloc(64 * 1024, 2);
    const batch = message.subarray(40);
    expect(ownMemory(frameOver(batch)).bytes.buffer).toBe(message.buffer);
  });

  it('keeps small pooled buffers as they are', () => {
    const small = Buffer.from('a small batch');
    expect(ownMemory(frameOver(small)).bytes).toBe(small);
  });
});
