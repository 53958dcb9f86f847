import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { dataSourceOptions } from './data-source';
import { DatabaseIdentityModule } from './database-identity';

/** The TypeORM connection for an app process, and the Redis keys of this database (REDIS_NAMESPACE). The schema comes from migrations, run before the apps start. */
@Module({})
export class DatabaseModule {
  static forRoot(applicationName: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.databaseUrl) {
              throw new Error('DATABASE_URL is not set: run the platform with `npm start` (embedded database) or set DATABASE_URL');
            }
            return { ...dataSourceOptions({ url: config.databaseUrl, poolSize: config.dbPoolSize, applicationName, preparedStatements: config.dbPreparedStatements }), migrationsRun: false };
          },
        }),
        DatabaseIdentityModule,
      ],
    };
  }
}
