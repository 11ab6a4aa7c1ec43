// Marks the measured window for CPU profiles. A V8 .cpuprofile times its samples in microseconds
// of CLOCK_MONOTONIC (the clock process.hrtime reads, system-wide on Linux), while the harness
// thinks in wall-clock time; a marker records both clocks at the window's start and end so
// profile-summary.ts can keep only the samples taken inside the window.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClockPair {
  readonly wallMs: number;
  /** process.hrtime in µs: the same clock as a .cpuprofile's startTime/timeDeltas. */
  readonly monotonicUs: number;
}

export interface WindowMarker {
  readonly target: string;
  readonly round: number;
  readonly phase: string;
  readonly start: ClockPair;
  readonly end: ClockPair;
}

export function clockPair(): ClockPair {
  return { wallMs: Date.now(), monotonicUs: Number(process.hrtime.bigint() / 1000n) };
}

/** Writes window-<target>-r<round>-<phase>.json into dir; returns its path. */
export function writeWindowMarker(dir: string, marker: WindowMarker): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `window-${marker.target.replace(/[^a-z0-9.-]/gi, '_')}-r${marker.round}-${marker.phase}.json`);
  writeFileSync(path, JSON.stringify(marker, null, 2) + '\n');
  return path;
}
