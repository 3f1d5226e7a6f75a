// class-transformer keeps its decorator metadata in a singleton that its package does not export
// by name; the compiled validator reads it through the CommonJS file the package's main entry
// loads (same instance). Typed here because the deep path has no typings of its own.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  export const defaultMetadataStorage: MetadataStorage;
}
