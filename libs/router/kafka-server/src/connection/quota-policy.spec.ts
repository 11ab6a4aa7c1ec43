import { withThrottle } from './quota-policy';

describe('withThrottle', () => {
  it('raises throttleTimeMs but never lowers a larger one the handler set', () => {
    expect(withThrottle({ throttleTimeMs: 0, errorCode: 0 }, 120)).toEqual({ throttleTimeMs: 120, errorCode: 0 });
    expect(withThrottle({ throttleTimeMs: 500, errorCode: 0 }, 120)).toEqual({ throttleTimeMs: 500, errorCode: 0 });
  });

  it('answers a response type without the field unchanged', () => {
    const response = { errorCode: 0, authBytes: Buffer.alloc(0) };
    expect(withThrottle(response, 120)).toBe(response);
    expect(withThrottle(undefined, 120)).toBeUndefined();
  });
});
