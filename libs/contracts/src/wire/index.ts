// Runtime the generated contracts import in place of @bufbuild/protobuf/wire (see generate.mjs).
export { BinaryReader } from '@bufbuild/protobuf/wire';
export { BinaryWriter } from './chunked-writer';
export { bufferView } from './buffer-views';
