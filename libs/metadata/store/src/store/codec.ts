// JSON codec for etcd values. Buffers become base64 (tagged), bigints decimal strings (tagged), so
// values round-trip exactly and stay readable with etcdctl.
export function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    if (v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return { $base64: Buffer.from((v as { data: number[] }).data).toString('base64') };
    }
    return v;
  });
}

export function decode<T>(raw: Buffer | string): T {
  return JSON.parse(raw.toString(), (_key, v: unknown) => {
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['$bigint'] === 'string') return BigInt(o['$bigint']);
      if (typeof o['$base64'] === 'string') return Buffer.from(o['$base64'], 'base64');
    }
    return v;
  }) as T;
}
