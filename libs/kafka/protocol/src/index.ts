export * from './primitives';
export * from './framing';
