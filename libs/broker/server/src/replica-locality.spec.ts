import { replicaId } from '@stratus/broker-partition';
import { replicaPreference, type ReadLocality } from './replica-locality';

const zones = new Map([
  ['repl-a', 'az-a'],
  ['repl-b', 'az-b'],
  ['repl-x', ''],
]);

describe('replicaPreference (KIP-392 inside the broker)', () => {
  it("prefers replicas in the client's AZ and labels each read same_az, cross_az or unknown_az", () => {
    const seen: ReadLocality[] = [];
    const pref = replicaPreference({ zoneOf: (id) => zones.get(id), onRead: (l) => seen.push(l) }, 'az-a');
    expect(pref.preferReplica?.(replicaId('repl-a'))).toBe(true);
    expect(pref.preferReplica?.(replicaId('repl-b'))).toBe(false);
    expect(pref.preferReplica?.(replicaId('repl-unknown'))).toBe(false);
    for (const id of ['repl-a', 'repl-b', 'repl-x', 'repl-unknown']) pref.onReplicaRead?.(replicaId(id));
    expect(seen).toEqual(['same_az', 'cross_az', 'unknown_az', 'unknown_az']);
  });

  it('without a client AZ there is no preference and reads count as unknown_az; without locality nothing is added', () => {
    const seen: ReadLocality[] = [];
    const pref = replicaPreference({ zoneOf: (id) => zones.get(id), onRead: (l) => seen.push(l) }, '');
    expect(pref.preferReplica).toBeUndefined();
    pref.onReplicaRead?.(replicaId('repl-a'));
    expect(seen).toEqual(['unknown_az']);
    expect(replicaPreference(undefined, 'az-a')).toEqual({});
    expect(replicaPreference({ zoneOf: () => 'az-a' }, 'az-a').onReplicaRead).toBeUndefined();
  });
});
