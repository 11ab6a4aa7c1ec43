/** Why a size prefix was refused. */
export type FrameErrorReason = 'negative-size' | 'too-small' | 'too-large';

/**
 * A size prefix the reader refuses. This is a transport fault: the byte stream can no longer be trusted
 * to be aligned on frames, so the connection must be closed (Kafka's broker does the same when a request
 * exceeds socket.request.max.bytes). It is raised before any buffer for the frame is allocated.
 */
export class FrameError extends Error {
  readonly reason: FrameErrorReason;
  /** The size prefix as read (int32, may be negative). */
  readonly size: number;
  /** The bound that was broken: the minimum for 'negative-size' / 'too-small', the maximum for 'too-large'. */
  readonly limit: number;

  constructor(reason: FrameErrorReason, size: number, limit: number) {
    super(FrameError.describe(reason, size, limit));
    this.name = 'FrameError';
    this.reason = reason;
    this.size = size;
    this.limit = limit;
  }

  private static describe(reason: FrameErrorReason, size: number, limit: number): string {
    switch (reason) {
      case 'negative-size':
        return `frame size prefix ${size} is negative`;
      case 'too-small':
        return `frame size ${size} is below the minimum of ${limit} bytes`;
      case 'too-large':
        return `frame size ${size} exceeds the maximum of ${limit} bytes`;
    }
  }
}
