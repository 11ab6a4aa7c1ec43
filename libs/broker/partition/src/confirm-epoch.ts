// Asking a majority whether an epoch is still the newest promised one. Fence with the epoch a
// replica already promised changes nothing (rule 1), so this is a read; a successor can only
// serve after fencing a majority, and any two majorities share a replica.
import type { ReplicaPort } from './replica-port';
import type { Epoch } from './types';

export type EpochCheck = { readonly kind: 'confirmed' } | { readonly kind: 'fenced'; readonly promisedEpoch: Epoch } | { readonly kind: 'unknown' };

export function confirmEpoch(ports: readonly ReplicaPort[], epoch: Epoch): Promise<EpochCheck> {
  const needed = Math.floor(ports.length / 2) + 1;
  return new Promise((resolve) => {
    let yes = 0;
    let settled = 0;
    const done = (): void => {
      settled++;
      if (yes >= needed) resolve({ kind: 'confirmed' });
      else if (settled === ports.length) resolve({ kind: 'unknown' });
    };
    for (const port of ports) {
      port.fence(epoch).then(
        (result) => {
          if (result.ok) yes++;
          else if (result.error.code === 'FENCED') resolve({ kind: 'fenced', promisedEpoch: result.error.promisedEpoch });
          done();
        },
        () => done(),
      );
    }
  });
}
