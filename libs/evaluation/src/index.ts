export * from './evaluation.types';
export * from './evaluation-error';
export * from './evaluation.module';
export * from './evaluation.service';
export * from './facts/evaluation-facts.service';
export * from './scoring';
export * from './appeals/appeal.service';
export * from './appeals/appeal-history';
