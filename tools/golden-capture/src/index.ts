export { capture, REQUIRED_APIS, type CaptureOptions, type CaptureReport } from './capture';
export { FrameSplitter, peekRequestHeader, type RequestHeaderPeek } from './frames';
export { RecordingProxy, type RecordedFrame, type Upstream } from './proxy';
export { selectFixtures, type FixtureEntry, type SelectOptions, type SelectedFixture } from './select';
export { FRAME_FORMAT, type FixtureIndex, type ClientRecord } from './fixtures';
export { API_NAMES, apiName } from './api-names';
