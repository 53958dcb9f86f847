export * from './catalogue.module';
export * from './catalogue.service';
