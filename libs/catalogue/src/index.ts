export * from './catalogue.module';
export * from './catalogue.service';
export * from './catalogue-editor.service';
export * from './catalogue-error';
export * from './standard-catalogue';
export { CATALOGUE as STANDARD_CATALOGUE, MAJOR_CLASSES, type CategoryData, type ConditionData } from './standard-catalogue.data';
export { conditionOf, isInForce, type StandardCondition } from './standard-rows';
