import { MAX_TOPIC_NAME_LENGTH, topicCollisionKey, validateTopicName } from './topic-name';

describe('validateTopicName', () => {
  it.each(['orders', 'a', 'A-b_c.d', '0', 'x'.repeat(MAX_TOPIC_NAME_LENGTH), '...'])('accepts %s', (name) => {
    expect(validateTopicName(name)).toEqual({ ok: true, value: name });
  });

  it.each([
    ['', 'empty'],
    ['.', 'dot'],
    ['..', 'dot dot'],
    ['x'.repeat(MAX_TOPIC_NAME_LENGTH + 1), 'too long'],
    ['has space', 'space'],
    ['slash/name', 'slash'],
    ['ünïcode', 'non-ascii'],
    ['colon:x', 'colon'],
  ])('rejects %j (%s) with INVALID_TOPIC_EXCEPTION', (name) => {
    const result = validateTopicName(name);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.name).toBe('INVALID_TOPIC_EXCEPTION');
      expect(result.error.code).toBe(17);
    }
  });
});

describe('topicCollisionKey', () => {
  it('maps names that differ only in . and _ to the same key', () => {
    expect(topicCollisionKey('a.b_c')).toBe(topicCollisionKey('a_b.c'));
    expect(topicCollisionKey('a.b')).not.toBe(topicCollisionKey('a-b'));
  });
});
