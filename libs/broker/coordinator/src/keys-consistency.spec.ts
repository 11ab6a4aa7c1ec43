import { splitGroupKey, tenantGroupKey } from '@stratus/broker-groups';
import { internalGroupId, splitInternalGroupId } from '@stratus/coordinator-keys';
import fc from 'fast-check';

// The router namespaces with @stratus/coordinator-keys, the group core with its own helper: both
// must produce and split the same keys or the broker would refuse the router's group ids.
describe('router and broker agree on internal group ids', () => {
  it('for any tenant and group id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((t) => !t.includes('/')), fc.string(), (tenant, group) => {
        const id = internalGroupId(tenant, group);
        expect(tenantGroupKey(tenant, group)).toBe(id);
        expect(splitGroupKey(tenantGroupKey(tenant, group))).toEqual({ tenant, groupId: group });
        expect(splitInternalGroupId(id)).toEqual({ tenantId: tenant, groupId: group });
      }),
    );
  });
});
