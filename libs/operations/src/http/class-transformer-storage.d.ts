// class-transformer's metadata (what @Type, @Transform, @Expose and @Exclude recorded) is exported by
// its CommonJS build without a declaration of its own.
declare module 'class-transformer/cjs/storage' {
  export const defaultMetadataStorage: import('class-transformer/types/MetadataStorage').MetadataStorage;
}
