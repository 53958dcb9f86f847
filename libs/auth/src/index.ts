export * from './auth-user';
export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './auth.service';
export * from './password';
export * from './access/case-access';
