export * from './errors';
export * from './gather-writer';
export * from './headers';
export * from './reader';
export * from './sizes';
export * from './uuid';
export * from './writer';
