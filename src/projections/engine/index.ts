// The projection engine: how any read model is kept, rebuilt and watched. Read models live
// beside it, one folder each.
export * from './projection.js';
export * from './apply.js';
export * from './runner.js';
export * from './liveProjection.js';
export * from './coordination.js';
export * from './rebuild.js';
export * from './bulkLoad.js';
export * from './status.js';
export * from './admin.js';
export * from './readModelHash.js';
export * from './streamReader.js';
