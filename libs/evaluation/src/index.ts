export * from './evaluation.types';
