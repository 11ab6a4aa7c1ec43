import { clientHostOf } from './client-host';

describe('clientHostOf', () => {
  it('names IPv4 and IPv6 peers as Kafka does, IPv4-mapped IPv6 in its IPv4 form', () => {
    expect(clientHostOf('10.0.0.9')).toBe('10.0.0.9');
    expect(clientHostOf('::ffff:10.0.0.9')).toBe('10.0.0.9');
    expect(clientHostOf('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(clientHostOf('2001:db8::1')).toBe('2001:db8::1');
    expect(clientHostOf('::1')).toBe('::1');
  });

  it('is undefined when the socket no longer knows its peer', () => {
    expect(clientHostOf(undefined)).toBeUndefined();
    expect(clientHostOf('')).toBeUndefined();
  });
});
