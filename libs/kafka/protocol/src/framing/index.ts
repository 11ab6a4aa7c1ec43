export { FrameError, type FrameErrorReason } from './frame-error';
export {
  FrameReader,
  DEFAULT_MAX_FRAME_BYTES,
  REQUEST_HEADER_MIN_BYTES,
  RESPONSE_HEADER_MIN_BYTES,
  type FrameReaderOptions,
} from './frame-reader';
