export { generate, staleFiles, withCompatibilityTable, writeGenerated, type Generated } from './generate';
export { loadSpecFolder, stripJsonComments } from './spec-loader';
export { PINNED_KAFKA_VERSION, folderSpecs, pinnedSpecs, specCacheDir, type SpecSource } from './spec-source';
export { brokerApis, type ApiModel } from './emit-table';
export { UNSERVED_APIS } from './unserved';
export { COMPATIBILITY_DOC, GENERATED_DIR, findWorkspaceRoot } from './main';
