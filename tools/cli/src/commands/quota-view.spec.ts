import { UsageError } from '../errors';
import { mergeQuotaChanges, quotaTable, quotasFromFlags, quotasToJson } from './quota-view';

describe('quota flags', () => {
  it('turns flags into TenantQuotas with int64 fields as bigint', () => {
    expect(quotasFromFlags({ 'produce-bytes-per-second': '1MiB', 'max-topics': '0', 'max-storage-bytes': '1GiB', json: true })).toEqual({
      produceBytesPerSecond: 1048576n,
      maxTopics: 0,
      maxStorageBytes: 1073741824n,
    });
    expect(quotasFromFlags({})).toEqual({});
  });

  it('merges changes into what is configured and unsets back to the default', () => {
    const configured = { maxTopics: 3, fetchBytesPerSecond: 10n };
    expect(mergeQuotaChanges(configured, { 'max-partitions': '9', unset: ['max-topics'] })).toEqual({ fetchBytesPerSecond: 10n, maxPartitions: 9 });
    expect(() => mergeQuotaChanges(configured, {})).toThrow(/nothing to change/);
    expect(() => mergeQuotaChanges(configured, { unset: ['max-bananas'] })).toThrow(UsageError);
    expect(() => mergeQuotaChanges(configured, { 'max-topics': '1', unset: ['max-topics'] })).toThrow(/both set and unset/);
  });

  it('shows configured next to effective, "default" where nothing is configured', () => {
    const text = quotaTable({ maxTopics: 3 }, { maxTopics: 3, maxPartitions: 1000, produceBytesPerSecond: 10485760n, maxStorageBytes: 1073741824n });
    expect(text).toMatch(/^QUOTA\s+CONFIGURED\s+EFFECTIVE$/m);
    expect(text).toMatch(/^max-topics\s+3\s+3$/m);
    expect(text).toMatch(/^max-partitions\s+default\s+1000$/m);
    expect(text).toMatch(/^produce-bytes-per-second\s+default\s+10 MiB\/s$/m);
    expect(text).toMatch(/^max-storage-bytes\s+default\s+1 GiB$/m);
    expect(quotaTable({}, {}, { limitsOnly: true }).split('\n').filter(Boolean)).toHaveLength(4);
    expect(quotasToJson({ maxTopics: 3, fetchBytesPerSecond: 5n }, { limitsOnly: true })).toEqual({ 'max-topics': 3 });
  });
});
