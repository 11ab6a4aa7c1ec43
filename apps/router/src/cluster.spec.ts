import { hostname } from 'node:os';
import { loadConfig } from '@stratus/platform-config';
import { advertisedGrpcAddress, advertisedKafkaListener } from './cluster';
import { routerConfigSchema } from './config';

const config = (env: Record<string, string>) => loadConfig({ schema: routerConfigSchema, env: { STRATUS_METADATA_ADDRESS: 'metadata:7001', ...env }, argv: [] });

describe('router registration addresses', () => {
  it('advertises the bind host and the bound Kafka port by default, the host name for a wildcard bind', () => {
    expect(advertisedKafkaListener(config({ STRATUS_BIND_HOST: '10.0.0.7' }), { port: 40123 })).toEqual({ host: '10.0.0.7', port: 40123 });
    expect(advertisedKafkaListener(config({ STRATUS_BIND_HOST: '0.0.0.0' }), { port: 9092 })).toEqual({ host: hostname(), port: 9092 });
  });

  it('prefers the configured advertised Kafka host and port (advertised.listeners)', () => {
    const c = config({ STRATUS_KAFKA_ADVERTISED_HOST: 'router-0.kafka.example', STRATUS_KAFKA_ADVERTISED_PORT: '19092' });
    expect(advertisedKafkaListener(c, { port: 9092 })).toEqual({ host: 'router-0.kafka.example', port: 19092 });
  });

  it('registers a dialable gRPC address, bracketing IPv6', () => {
    expect(advertisedGrpcAddress(config({ STRATUS_BIND_HOST: '127.0.0.1' }), { grpcPort: 7000, adminPort: 1 })).toBe('127.0.0.1:7000');
    expect(advertisedGrpcAddress(config({ STRATUS_GRPC_ADVERTISED_HOST: 'fd00::2', STRATUS_GRPC_ADVERTISED_PORT: '17000' }), { grpcPort: 7000, adminPort: 1 })).toBe('[fd00::2]:17000');
  });

  it('takes the listener name, lease TTL and catch-up timeout, refusing out-of-range values', () => {
    const c = config({ STRATUS_KAFKA_LISTENER_NAME: 'INTERNAL', STRATUS_METADATA_LEASE_TTL_MS: '6000', STRATUS_CLUSTER_VIEW_CATCH_UP_TIMEOUT_MS: '2000' });
    expect([c.kafkaListenerName, c.metadataLeaseTtlMs, c.clusterViewCatchUpTimeoutMs]).toEqual(['INTERNAL', 6000, 2000]);
    expect(config({}).kafkaListenerName).toBe('EXTERNAL');
    expect(() => config({ STRATUS_METADATA_LEASE_TTL_MS: '500' })).toThrow(/STRATUS_METADATA_LEASE_TTL_MS/);
  });
});
