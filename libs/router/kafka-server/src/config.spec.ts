import { createLogger } from '@stratus/platform-logging';
import { z } from 'zod';
import { kafkaListenerConfigShape, kafkaListenerOptionsFromConfig } from './config';
import { InMemoryCredentialSource } from './credentials/in-memory-credential-source';

const schema = z.object({ bindHost: z.string(), ...kafkaListenerConfigShape() });
const deps = { credentials: new InMemoryCredentialSource(), logger: createLogger({ service: 't', level: 'silent' }) };

describe('Kafka listener config', () => {
  it('has Kafka defaults', () => {
    const options = kafkaListenerOptionsFromConfig(schema.parse({ bindHost: '0.0.0.0' }), deps);
    expect(options).toMatchObject({
      host: '0.0.0.0',
      port: 9092,
      maxRequestBytes: 100 * 1024 * 1024,
      maxInFlightRequests: 512,
      idleTimeoutMs: 600_000,
      failedAuthenticationDelayMs: 100,
      maxSessionLifetimeMs: 0,
      saslMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
    });
    expect(options.tls).toBeUndefined();
  });

  it('parses environment strings strictly', () => {
    const config = schema.parse({ bindHost: 'h', kafkaPort: '19092', kafkaMaxRequestBytes: '1048576', kafkaSaslMechanisms: 'SCRAM-SHA-512' });
    expect(kafkaListenerOptionsFromConfig(config, deps)).toMatchObject({ port: 19092, maxRequestBytes: 1048576, saslMechanisms: ['SCRAM-SHA-512'] });
    expect(schema.safeParse({ bindHost: 'h', kafkaMaxRequestBytes: '3000000000' }).success).toBe(false);
    expect(schema.safeParse({ bindHost: 'h', kafkaSaslMechanisms: 'GSSAPI' }).success).toBe(false);
  });

  it('wants both TLS files or none', () => {
    expect(() => kafkaListenerOptionsFromConfig(schema.parse({ bindHost: 'h', kafkaTlsCertFile: '/x.pem' }), deps)).toThrow(/together/);
  });
});
