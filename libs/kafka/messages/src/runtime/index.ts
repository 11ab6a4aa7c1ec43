// Support code the generated codecs import (not part of the library's public surface except the
// types re-exported from src/index.ts).
export * from './arrays';
export * from './codec';
export * from './schema';
