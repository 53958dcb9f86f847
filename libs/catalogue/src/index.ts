export * from './catalogue.module';
export * from './catalogue.service';
export * from './catalogue-editor.service';
