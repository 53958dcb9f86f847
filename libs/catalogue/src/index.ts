export * from './catalogue.module';
export * from './catalogue.service';
export * from './catalogue-editor.service';
export * from './catalogue-error';
