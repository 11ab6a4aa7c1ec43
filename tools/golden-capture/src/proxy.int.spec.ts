import { connect, createServer, type Server, type Socket } from 'node:net';
import { RecordingProxy } from './proxy';

function request(apiKey: number, version: number, correlationId: number, clientId: string, body: Buffer): Buffer {
  const head = Buffer.alloc(14);
  head.writeInt32BE(10 + clientId.length + body.length, 0);
  head.writeInt16BE(apiKey, 4);
  head.writeInt16BE(version, 6);
  head.writeInt32BE(correlationId, 8);
  head.writeInt16BE(clientId.length, 12);
  return Buffer.concat([head, Buffer.from(clientId), body]);
}

describe('RecordingProxy', () => {
  let upstream: Server;
  let proxy: RecordingProxy;
  const received: Buffer[] = [];

  beforeAll(async () => {
    // A stand-in broker that echoes every byte, so both directions are exercised.
    upstream = createServer((socket) => socket.on('data', (chunk: Buffer) => (received.push(chunk), socket.write(chunk))));
    await new Promise<void>((resolve) => upstream.listen({ host: '127.0.0.1', port: 0 }, resolve));
    proxy = await RecordingProxy.listen('plaintext');
    const address = upstream.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    proxy.forwardTo({ host: '127.0.0.1', port: address.port });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('forwards bytes unchanged both ways and records each request frame once, even when split', async () => {
    const first = request(18, 3, 1, 'golden', Buffer.from([0x00]));
    const second = request(3, 12, 2, 'golden', Buffer.from([1, 2, 3, 4]));
    const stream = Buffer.concat([first, second]);
    const socket: Socket = connect({ host: '127.0.0.1', port: proxy.port });
    const echoed: Buffer[] = [];
    const done = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        echoed.push(chunk);
        if (Buffer.concat(echoed).length === stream.length) resolve();
      }),
    );
    socket.write(stream.subarray(0, 7));
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write(stream.subarray(7));
    await done;
    socket.destroy();

    expect(Buffer.concat(echoed).equals(stream)).toBe(true);
    expect(Buffer.concat(received).equals(stream)).toBe(true);
    const { frames, skipped } = proxy.drain();
    expect(skipped).toBe(0);
    expect(frames.map((f) => [f.apiKey, f.apiVersion, f.correlationId, f.clientId])).toEqual([
      [18, 3, 1, 'golden'],
      [3, 12, 2, 'golden'],
    ]);
    expect(frames[1].bytes.equals(second.subarray(4))).toBe(true);
    expect(proxy.drain().frames).toEqual([]);
  });
});
