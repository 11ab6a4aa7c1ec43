// The compatibility suite's data, for tools that want to read it (the suite runs via `nx run compat:compat`).
export { SCENARIOS, ALTERED_CONFIG, type Scenario, type ScenarioId, type SuiteOptions } from './scenarios';
export { CODECS, type Codec, type DriverRequest, type DriverResult, type ConsumedRecord } from './protocol';
export { mergeSuites, renderMatrix, replaceMatrix, type SuiteResults, type ScenarioResult } from './matrix';
