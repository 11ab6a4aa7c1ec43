// Byte helpers for etcd ranges: a prefix range is [prefix, prefix+1) where +1 increments the last
// byte that is not 0xff (etcd's "range_end = key plus one" rule).
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix, 'utf8');
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff: the range is "every key >= prefix" ('\0').
  return Buffer.from([0]);
}
