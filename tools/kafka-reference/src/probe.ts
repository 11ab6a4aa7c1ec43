import { connect, type Socket } from 'node:net';

/**
 * A deliberately tiny Kafka client used only to decide that a broker is serving: it must not depend
 * on the codecs under test (this tool is how those codecs get checked). It speaks two classic,
 * non-flexible requests: ApiVersions v0 and Metadata v4 (KIP-482 flexible encodings start later).
 */
const API_VERSIONS = 18;
const METADATA = 3;
const METADATA_VERSION = 4;
const CLIENT_ID = 'stratus-kafka-reference-probe';

export interface ProbeResult {
  /** Brokers the Metadata response lists: a KRaft broker appears only once it is unfenced. */
  readonly brokerIds: readonly number[];
}

export async function probeBroker(options: { host: string; port: number; timeoutMs: number }): Promise<ProbeResult> {
  const socket = await open(options.host, options.port, options.timeoutMs);
  try {
    const versions = await exchange(socket, request(API_VERSIONS, 0, 1, Buffer.alloc(0)), options.timeoutMs);
    const error = versions.readInt16BE(4);
    if (error !== 0) throw new Error(`ApiVersions error code ${error}`);
    const count = versions.readInt32BE(6);
    let supported = false;
    for (let i = 0; i < count; i++) {
      const at = 10 + i * 6;
      const key = versions.readInt16BE(at);
      if (key === METADATA) supported = versions.readInt16BE(at + 2) <= METADATA_VERSION && versions.readInt16BE(at + 4) >= METADATA_VERSION;
    }
    if (!supported) throw new Error(`broker does not support Metadata v${METADATA_VERSION}`);
    // topics = null (all), allow_auto_topic_creation = false
    const body = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]);
    const metadata = await exchange(socket, request(METADATA, METADATA_VERSION, 2, body), options.timeoutMs);
    return { brokerIds: readBrokerIds(metadata) };
  } finally {
    socket.destroy();
  }
}

function readBrokerIds(response: Buffer): number[] {
  let at = 4 + 4; // correlation id, throttle_time_ms
  const count = response.readInt32BE(at);
  at += 4;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(response.readInt32BE(at));
    at += 4;
    at += 2 + response.readInt16BE(at); // host
    at += 4; // port
    const rack = response.readInt16BE(at);
    at += 2 + Math.max(rack, 0);
  }
  return ids;
}

function request(apiKey: number, version: number, correlationId: number, body: Buffer): Buffer {
  const clientId = Buffer.from(CLIENT_ID);
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + clientId.length + body.length);
  return Buffer.concat([size, header, clientId, body]);
}

function open(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect ${host}:${port} timed out`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Sends one request and returns the response frame without its size prefix. */
function exchange(socket: Socket, frame: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (err: Error | null, value?: Buffer): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(value as Buffer);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const all = Buffer.concat(chunks);
      const size = all.readInt32BE(0);
      if (all.length >= 4 + size) finish(null, all.subarray(4, 4 + size));
    };
    const onError = (err: Error): void => finish(err);
    const onClose = (): void => finish(new Error('connection closed before a response'));
    const timer = setTimeout(() => finish(new Error('no response in time')), timeoutMs);
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.write(frame);
  });
}
