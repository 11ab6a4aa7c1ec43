export { parseWorkload, loadWorkload, targetRecordsPerSecond, WorkloadError, WORKLOADS_DIR, type Workload, type WorkloadMode } from './workload';
export { parseTargets, startTarget, TargetSpecError, type TargetSpec, type RunningTarget } from './targets';
export { runHarness, type HarnessOptions } from './run';
export { renderMarkdown, renderLatencySvg } from './report';
export { writeResult } from './output';
export { silentProgress, terminalProgress, type Progress } from './progress';
export type { HarnessResult, TargetRun } from './result';
export { clockPair, writeWindowMarker, type ClockPair, type WindowMarker } from './window-marker';
export { sampleProcess, type ProcSample } from './proc';
