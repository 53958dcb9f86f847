import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';

/** JWT signing and verification with the platform's secret and options (any process that reads tokens). */
export function jwtModule() {
  return JwtModule.registerAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      secret: config.jwt.secret,
      signOptions: { expiresIn: config.jwt.ttl as `${number}${'s' | 'm' | 'h' | 'd'}`, issuer: 'wangge' },
      verifyOptions: { issuer: 'wangge', algorithms: ['HS256'] },
    }),
  });
}

/** JWT and the global guard: import once in an HTTP app's root module. */
@Global()
@Module({
  imports: [jwtModule()],
  providers: [AuthService, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthService, JwtModule],
})
export class AuthModule {}
