import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginBackoff } from './login-backoff.service';
import { PasswordChangeService } from './password-change.service';
import { PeopleModule } from './people/people.module';

/** JWT signing and verification with the platform's secret and options (any process that reads tokens). */
export function jwtModule() {
  return JwtModule.registerAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      // A KeyObject, not the string: jsonwebtoken would otherwise try (and fail) to parse the string
      // as a public key on every verification before taking it as a secret — a thrown exception per request.
      secret: createSecretKey(Buffer.from(config.jwt.secret)),
      signOptions: { expiresIn: config.jwt.ttl as `${number}${'s' | 'm' | 'h' | 'd'}`, issuer: 'wangge' },
      verifyOptions: { issuer: 'wangge', algorithms: ['HS256'] },
    }),
  });
}

/** JWT, the global guard and the people's directory: import once in an HTTP app's root module. */
@Global()
@Module({
  imports: [jwtModule(), PeopleModule],
  providers: [AuthService, AuthGuard, PasswordChangeService, LoginBackoff, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthService, JwtModule, PeopleModule, PasswordChangeService, LoginBackoff],
})
export class AuthModule {}
