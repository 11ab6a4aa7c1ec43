export { machineInfo, formatResult, type BenchResult, type MachineInfo } from './result';
export { measure, throughput, type Measurement, type MeasureOptions } from './measure';
