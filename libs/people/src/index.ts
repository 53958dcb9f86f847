export * from './people-admin.module';
export * from './people-admin.service';
export * from './department-admin.service';
export * from './people-import.service';
export * from './people-csv';
export * from './person-checks';
export * from './people-error';
