export * from './image-normalizer';
export * from './image-type';
export * from './local-media-storage';
export * from './media-errors';
export * from './media-storage';
export * from './media.module';
export * from './media.service';
export * from './storage-key';
