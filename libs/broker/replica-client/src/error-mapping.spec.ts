import { status, Metadata, type ServiceError } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { fromStateResponse, fromTransportError, fromWireError, fromWireState } from './error-mapping';

const Code = replicationV1.ReplicaErrorCode;
const err = (code: replicationV1.ReplicaErrorCode, message = 'why') => ({ code, message });
const state = (over: Partial<replicationV1.LogState> = {}): replicationV1.LogState => ({
  promisedEpoch: 7,
  logStartOffset: 10n,
  logEndOffset: 42n,
  localLogStartOffset: 10n,
  epochHistory: [
    { epoch: 3, startOffset: 10n },
    { epoch: 7, startOffset: 30n },
  ],
  committedOffset: 40n,
  sizeBytes: 1000n,
  ...over,
});

describe('fromWireError: every replica error code has exactly one port value', () => {
  it('FENCED carries the promised epoch from the response', () => {
    expect(fromWireError(err(Code.FENCED), { operation: 'append', requestEpoch: 4, promisedEpoch: 9 })).toEqual({ code: 'FENCED', promisedEpoch: 9 });
  });

  it('FENCED is never lost: without a usable promised epoch it reports request epoch + 1 (rule 1 lower bound)', () => {
    expect(fromWireError(err(Code.FENCED), { operation: 'append', requestEpoch: 4, promisedEpoch: -1 })).toEqual({ code: 'FENCED', promisedEpoch: 5 });
    expect(fromWireError(err(Code.FENCED), { operation: 'truncate', requestEpoch: 4 })).toEqual({ code: 'FENCED', promisedEpoch: 5 });
    // A promised epoch not above ours contradicts FENCED: the lower bound is used instead.
    expect(fromWireError(err(Code.FENCED), { operation: 'append', requestEpoch: 4, promisedEpoch: 4 })).toEqual({ code: 'FENCED', promisedEpoch: 5 });
  });

  it('NOT_FENCED keeps the promised epoch, and -1 (never fenced) becomes undefined', () => {
    expect(fromWireError(err(Code.NOT_FENCED), { operation: 'append', requestEpoch: 4, promisedEpoch: 2 })).toEqual({ code: 'NOT_FENCED', promisedEpoch: 2 });
    expect(fromWireError(err(Code.NOT_FENCED), { operation: 'append', requestEpoch: 4, promisedEpoch: -1 })).toEqual({ code: 'NOT_FENCED', promisedEpoch: undefined });
  });

  it('UNKNOWN_PARTITION means "fence first" for epoch-gated operations and UNAVAILABLE for reads', () => {
    for (const operation of ['append', 'truncate', 'markEpochStart', 'repair'] as const) {
      expect(fromWireError(err(Code.UNKNOWN_PARTITION), { operation, requestEpoch: 1 })).toEqual({ code: 'NOT_FENCED', promisedEpoch: undefined });
    }
    expect(fromWireError(err(Code.UNKNOWN_PARTITION, 'no replica'), { operation: 'read' })).toEqual({ code: 'UNAVAILABLE', message: 'UNKNOWN_PARTITION: no replica' });
  });

  it('OUT_OF_ORDER and OFFSET_OUT_OF_RANGE carry the replica log bounds', () => {
    expect(fromWireError(err(Code.OUT_OF_ORDER), { operation: 'append', logEnd: 17n })).toEqual({ code: 'OUT_OF_ORDER', logEnd: 17n });
    expect(fromWireError(err(Code.OFFSET_OUT_OF_RANGE), { operation: 'read', logStart: 3n, logEnd: 9n })).toEqual({ code: 'OFFSET_OUT_OF_RANGE', logStart: 3n, logEnd: 9n });
  });

  it('a refusal without the bounds it needs is a node fault (UNAVAILABLE), not an invented offset', () => {
    expect(fromWireError(err(Code.OUT_OF_ORDER), { operation: 'markEpochStart' }).code).toBe('UNAVAILABLE');
    expect(fromWireError(err(Code.OFFSET_OUT_OF_RANGE), { operation: 'truncate', logEnd: 1n }).code).toBe('UNAVAILABLE');
  });

  it('CORRUPT and PEER_UNAVAILABLE keep their message', () => {
    expect(fromWireError(err(Code.CORRUPT, 'bad crc'), { operation: 'append' })).toEqual({ code: 'CORRUPT', message: 'bad crc' });
    expect(fromWireError(err(Code.PEER_UNAVAILABLE, 'peer gone'), { operation: 'repair' })).toEqual({ code: 'PEER_UNAVAILABLE', message: 'peer gone' });
  });

  it('node-side conditions (disk full, not ready, I/O error, invalid request, unknown codes) are UNAVAILABLE, named in the message', () => {
    expect(fromWireError(err(Code.DISK_FULL, 'ENOSPC'), { operation: 'append' })).toEqual({ code: 'UNAVAILABLE', message: 'REPLICA_ERROR_CODE_DISK_FULL: ENOSPC' });
    expect(fromWireError(err(Code.NOT_READY), { operation: 'fence' })).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('NOT_READY') });
    expect(fromWireError(err(Code.STORAGE_ERROR), { operation: 'read' })).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('STORAGE_ERROR') });
    expect(fromWireError(err(Code.INVALID_REQUEST), { operation: 'read' })).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('INVALID_REQUEST') });
    expect(fromWireError(err(Code.UNSPECIFIED), { operation: 'read' }).code).toBe('UNAVAILABLE');
    expect(fromWireError(err(99 as replicationV1.ReplicaErrorCode), { operation: 'read' })).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('unknown replica error 99') });
  });
});

describe('fromTransportError', () => {
  it('names the gRPC status of a ServiceError', () => {
    const e: ServiceError = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded', metadata: new Metadata() });
    expect(fromTransportError(e, 'Fence on n1')).toEqual({ code: 'UNAVAILABLE', message: 'Fence on n1: DEADLINE_EXCEEDED: Deadline exceeded' });
    const refused: ServiceError = Object.assign(new Error('14 UNAVAILABLE'), { code: status.UNAVAILABLE, details: 'No connection established', metadata: new Metadata() });
    expect(fromTransportError(refused, 'Read on n2')).toEqual({ code: 'UNAVAILABLE', message: 'Read on n2: UNAVAILABLE: No connection established' });
  });

  it('any other thrown value is UNAVAILABLE too', () => {
    expect(fromTransportError(new Error('channel closed'), 'x')).toEqual({ code: 'UNAVAILABLE', message: 'x: channel closed' });
    expect(fromTransportError('boom', 'x')).toEqual({ code: 'UNAVAILABLE', message: 'x: boom' });
  });
});

describe('fromWireState and fromStateResponse', () => {
  it('maps the log state field by field; -1 promised epoch is "never fenced"', () => {
    expect(fromWireState(state(), 'fence')).toEqual({
      ok: true,
      value: { promisedEpoch: 7, logStart: 10n, durableLogStart: 10n, logEnd: 42n, epochHistory: [{ epoch: 3, startOffset: 10n }, { epoch: 7, startOffset: 30n }] },
    });
    const fresh = fromWireState(state({ promisedEpoch: -1, epochHistory: [] }), 'fence');
    expect(fresh.ok && fresh.value.promisedEpoch).toBeUndefined();
  });

  it('keeps both starts: the logical one as durableLogStart, the higher of the two as the servable logStart', () => {
    // Local retention dropped [0, 25) after tiering; DeleteRecords had moved the logical start to 12.
    const tiered = fromWireState(state({ logStartOffset: 12n, localLogStartOffset: 25n }), 'fence');
    expect(tiered.ok && tiered.value).toMatchObject({ logStart: 25n, durableLogStart: 12n });
    // DeleteRecords inside the first local segment: the logical start is the servable one.
    const inside = fromWireState(state({ logStartOffset: 30n, localLogStartOffset: 25n }), 'fence');
    expect(inside.ok && inside.value).toMatchObject({ logStart: 30n, durableLogStart: 30n });
  });

  it('refuses a state that breaks the contract instead of trusting it', () => {
    expect(fromWireState(undefined, 'fence')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(fromWireState(state({ promisedEpoch: -5 }), 'fence')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(fromWireState(state({ epochHistory: [{ epoch: 2 ** 31, startOffset: 0n }] }), 'fence')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('takes promised epoch and bounds of a refusal from the state that comes with it', () => {
    expect(fromStateResponse({ error: err(Code.FENCED), state: state({ promisedEpoch: 12 }) }, { operation: 'fence', requestEpoch: 8 })).toEqual({
      ok: false,
      error: { code: 'FENCED', promisedEpoch: 12 },
    });
    expect(fromStateResponse({ error: err(Code.OUT_OF_ORDER), state: state({ logEndOffset: 50n }) }, { operation: 'markEpochStart', requestEpoch: 7 })).toEqual({
      ok: false,
      error: { code: 'OUT_OF_ORDER', logEnd: 50n },
    });
    expect(fromStateResponse({ error: err(Code.OFFSET_OUT_OF_RANGE), state: state() }, { operation: 'truncate', requestEpoch: 7 })).toEqual({
      ok: false,
      error: { code: 'OFFSET_OUT_OF_RANGE', logStart: 10n, logEnd: 42n },
    });
    expect(fromStateResponse({ error: undefined, state: state() }, { operation: 'truncate', requestEpoch: 7 }).ok).toBe(true);
  });
});
