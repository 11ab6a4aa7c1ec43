// Topic name rules, as Kafka's Topic.validate enforces them: 1..249 characters from
// [a-zA-Z0-9._-], and never "." or ".." (they would be path components in a log directory).
// 249 = 255 (file name limit) minus room for the "-<partition>" suffix and ".deleted" markers.
import { fail, ok, type Result } from '../errors/result';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): Result<string> {
  if (name.length === 0) return fail('INVALID_TOPIC_EXCEPTION', 'Topic name is illegal, it can\'t be empty');
  if (name === '.' || name === '..') {
    return fail('INVALID_TOPIC_EXCEPTION', 'Topic name cannot be "." or ".."');
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return fail(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name.slice(0, 32)}...`,
    );
  }
  if (!LEGAL.test(name)) {
    return fail(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    );
  }
  return ok(name);
}

/**
 * Kafka metric names replace '.' with '_', so "a.b" and "a_b" would share metrics; Kafka refuses
 * to create a topic whose collision key equals an existing topic's. We use the key as a uniqueness
 * index in etcd so the check is atomic with the create.
 */
export function topicCollisionKey(name: string): string {
  return name.replace(/\./g, '_');
}

export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}
