import { envVarName, isSecretKey, toScreamingSnake, yamlPathOf } from './names';

describe('names', () => {
  it('derives environment variable names from camelCase keys', () => {
    expect(toScreamingSnake('grpcPort')).toBe('GRPC_PORT');
    expect(toScreamingSnake('shutdownGraceMs')).toBe('SHUTDOWN_GRACE_MS');
    expect(toScreamingSnake('s3Bucket')).toBe('S3_BUCKET');
    expect(envVarName('STRATUS_', 'etcdEndpoints')).toBe('STRATUS_ETCD_ENDPOINTS');
  });

  it('renders yaml paths', () => {
    expect(yamlPathOf(['etcdEndpoints', 2])).toBe('etcdEndpoints[2]');
    expect(yamlPathOf(['s3', 'bucket'])).toBe('s3.bucket');
  });

  it('recognises secret keys', () => {
    expect(isSecretKey('apiSecret')).toBe(true);
    expect(isSecretKey('saslPassword')).toBe(true);
    expect(isSecretKey('grpcPort')).toBe(false);
  });
});
