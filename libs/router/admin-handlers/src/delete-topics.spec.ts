import { status } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DeleteTopicsResponse } from '@stratus/kafka-messages';
import type { ClusterView } from '@stratus/router-cluster-view';
import { FakeMetadata, grpcFailure, handlerFor, respond } from './testing.testkit';

const ZERO = '00000000-0000-0000-0000-000000000000';
const KNOWN_ID = '00112233-4455-6677-8899-aabbccddeeff';
const KNOWN_BYTES = Buffer.from(KNOWN_ID.replace(/-/g, ''), 'hex');

/** Metadata holding one topic, 'orders' with KNOWN_ID, for the calling tenant. */
function metadata(): FakeMetadata {
  return new FakeMetadata().answer('deleteTopics', (req: metadataV1.DeleteTopicsRequest) => ({
    results: req.topics.map((sel) => {
      const s = sel.selector;
      const hit = (s?.$case === 'name' && s.value === 'orders') || (s?.$case === 'topicId' && Buffer.from(s.value.value).equals(KNOWN_BYTES));
      if (hit) return { topic: sel, error: { code: 0, message: '' }, name: 'orders', topicId: { value: KNOWN_BYTES } };
      return { topic: sel, error: { code: s?.$case === 'name' ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID, message: 'unknown' }, name: '' };
    }),
  }));
}

describe('DeleteTopics', () => {
  it('deletes by name (v1-v5) and answers unknown names, refusing a repeated name', async () => {
    const md = metadata();
    const res = await respond<DeleteTopicsResponse>(handlerFor(20, { metadata: md.client }), { topicNames: ['orders', 'nope', 'twice', 'twice'], timeoutMs: 1000 });
    expect(res.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['orders', 0],
      ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['twice', ErrorCode.INVALID_REQUEST],
      ['twice', ErrorCode.INVALID_REQUEST],
    ]);
    expect((md.calls[0]?.request as metadataV1.DeleteTopicsRequest).topics).toHaveLength(2);
  });

  it('deletes by id (v6) and fills in the name; unknown ids are UNKNOWN_TOPIC_ID; name and id together or neither are invalid', async () => {
    const md = metadata();
    const res = await respond<DeleteTopicsResponse>(handlerFor(20, { metadata: md.client }), {
      topics: [
        { name: null, topicId: KNOWN_ID },
        { name: null, topicId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
        { name: 'orders', topicId: KNOWN_ID },
        { name: null, topicId: ZERO },
        { name: 'orders', topicId: ZERO },
      ],
      timeoutMs: 1000,
    });
    expect(res.responses.map((r) => [r.name, r.topicId, r.errorCode])).toEqual([
      ['orders', KNOWN_ID, 0],
      [null, 'ffffffff-ffff-ffff-ffff-ffffffffffff', ErrorCode.UNKNOWN_TOPIC_ID],
      ['orders', KNOWN_ID, ErrorCode.INVALID_REQUEST],
      [null, ZERO, ErrorCode.INVALID_REQUEST],
      ['orders', KNOWN_ID, 0],
    ]);
  });

  it('answers NOT_CONTROLLER when metadata is unreachable and waits for the view only after a deletion', async () => {
    const waits: number[] = [];
    const view = { catchUp: async (ms: number) => void waits.push(ms) } as unknown as ClusterView;
    const down = new FakeMetadata().answer('deleteTopics', () => {
      throw grpcFailure(status.UNAVAILABLE);
    });
    const failed = await respond<DeleteTopicsResponse>(handlerFor(20, { metadata: down.client, view }), { topicNames: ['orders'], timeoutMs: 1000 });
    expect(failed.responses[0]?.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    expect(waits).toEqual([]);
    await respond(handlerFor(20, { metadata: metadata().client, view }), { topicNames: ['orders'], timeoutMs: 1000 });
    expect(waits).toEqual([1000]);
  });
});
