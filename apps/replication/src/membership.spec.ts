import { hostname } from 'node:os';
import { loadConfig } from '@stratus/platform-config';
import { replicationConfigSchema } from './config';
import { advertisedGrpcAddress } from './membership';

const config = (env: Record<string, string>) => loadConfig({ schema: replicationConfigSchema, env, argv: [] });

describe('replication membership config', () => {
  it('advertises the bind host and the bound port by default', () => {
    expect(advertisedGrpcAddress(config({ STRATUS_BIND_HOST: '10.1.2.3' }), { grpcPort: 41000, adminPort: 1 })).toBe('10.1.2.3:41000');
  });
  it('a wildcard bind host is not dialable: the host name is advertised instead', () => {
    expect(advertisedGrpcAddress(config({ STRATUS_BIND_HOST: '0.0.0.0' }), { grpcPort: 7003, adminPort: 1 })).toBe(`${hostname()}:7003`);
  });
  it('explicit advertised host and port win; IPv6 hosts are bracketed', () => {
    const c = config({ STRATUS_GRPC_ADVERTISED_HOST: 'repl-0.repl.svc', STRATUS_GRPC_ADVERTISED_PORT: '17003' });
    expect(advertisedGrpcAddress(c, { grpcPort: 7003, adminPort: 1 })).toBe('repl-0.repl.svc:17003');
    expect(advertisedGrpcAddress(config({ STRATUS_GRPC_ADVERTISED_HOST: 'fd00::1' }), { grpcPort: 7003, adminPort: 1 })).toBe('[fd00::1]:7003');
  });
  it('takes the metadata address and lease TTL, and refuses a TTL outside the server range', () => {
    const c = config({ STRATUS_METADATA_ADDRESS: 'metadata:7001', STRATUS_METADATA_LEASE_TTL_MS: '6000' });
    expect(c.metadataAddress).toBe('metadata:7001');
    expect(c.metadataLeaseTtlMs).toBe(6000);
    expect(config({}).metadataAddress).toBeUndefined();
    expect(() => config({ STRATUS_METADATA_LEASE_TTL_MS: '500' })).toThrow(/STRATUS_METADATA_LEASE_TTL_MS/);
    expect(() => config({ STRATUS_METADATA_ADDRESS: 'metadata' })).toThrow(/STRATUS_METADATA_ADDRESS/);
  });
});
