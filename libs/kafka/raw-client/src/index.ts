// A tiny raw Kafka client for tests and benchmarks: hand-built frames over a plain socket, so a
// caller can send what no real client would (garbage, huge size prefixes, requests before
// authentication) or open thousands of cheap connections.
export { RawClient, encodeRequestFrame, decodeResponseFrame } from './raw-client';
