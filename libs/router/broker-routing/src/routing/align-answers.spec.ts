import { ErrorCode } from '@stratus/kafka-errors';
import { alignAnswers } from './align-answers';

const topicA = Buffer.alloc(16, 0xa1);
const topicB = Buffer.alloc(16, 0xb2);

function answer(topicId: Buffer, partition: number, tag: string) {
  // A copy, as the decoder hands out its own bytes: alignment compares contents, not identity.
  return { partition: { topicId: { value: Buffer.from(topicId) }, partition }, tag };
}

describe('alignAnswers', () => {
  const batch = [
    { topicId: topicA, partition: 0 },
    { topicId: topicA, partition: 1 },
    { topicId: topicB, partition: 0 },
  ];

  it('keeps answers given in request order in their slots', () => {
    const answers = [answer(topicA, 0, 'a0'), answer(topicA, 1, 'a1'), answer(topicB, 0, 'b0')];
    expect(alignAnswers(batch, answers, undefined).map((a) => a?.tag)).toEqual(['a0', 'a1', 'b0']);
  });

  it('matches answers given in another order by topic id and partition', () => {
    const answers = [answer(topicB, 0, 'b0'), answer(topicA, 1, 'a1'), answer(topicA, 0, 'a0')];
    expect(alignAnswers(batch, answers, undefined).map((a) => a?.tag)).toEqual(['a0', 'a1', 'b0']);
  });

  it('does not take a same-index answer of another topic for a slot', () => {
    const answers = [answer(topicA, 0, 'a0'), answer(topicB, 1, 'b1'), answer(topicB, 0, 'b0')];
    expect(alignAnswers(batch, answers, undefined).map((a) => a?.tag)).toEqual(['a0', undefined, 'b0']);
  });

  it('leaves a slot empty when the broker did not answer its partition', () => {
    const answers = [answer(topicB, 0, 'b0'), answer(topicA, 0, 'a0')];
    expect(alignAnswers(batch, answers, undefined).map((a) => a?.tag)).toEqual(['a0', undefined, 'b0']);
  });

  it('gives repeated partitions of one batch their answers in order', () => {
    const twice = [
      { topicId: topicA, partition: 0 },
      { topicId: topicA, partition: 0 },
    ];
    const answers = [answer(topicA, 0, 'first'), answer(topicA, 0, 'second')];
    expect(alignAnswers(twice, answers, undefined).map((a) => a?.tag)).toEqual(['first', 'second']);
    expect(alignAnswers(twice, [...answers].reverse(), undefined).map((a) => a?.tag)).toEqual(['second', 'first']);
  });

  it('applies a whole-request error to every partition of the batch', () => {
    const aligned = alignAnswers(batch, [answer(topicA, 0, 'a0')], { code: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: 'moved' });
    expect(aligned.map((a) => (a as unknown as { error: { code: number } }).error.code)).toEqual([
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
    ]);
    expect(aligned.map((a) => a?.partition?.partition)).toEqual([0, 1, 0]);
  });

  it('ignores a whole-request error of NONE', () => {
    const answers = [answer(topicA, 0, 'a0'), answer(topicA, 1, 'a1'), answer(topicB, 0, 'b0')];
    expect(alignAnswers(batch, answers, { code: ErrorCode.NONE, message: '' }).map((a) => a?.tag)).toEqual(['a0', 'a1', 'b0']);
  });
});
