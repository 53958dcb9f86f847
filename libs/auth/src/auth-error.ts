import { AppError, type ErrorKind } from '@wangge/operations';

/** Why a caller was not let in: no or a bad credential (401), or a role that may not do this (403). */
export type AuthErrorCode = 'unauthenticated' | 'invalid_credentials' | 'invalid_token' | 'token_expired' | 'forbidden';

export const AUTH_ERROR_KIND: Readonly<Record<AuthErrorCode, ErrorKind>> = {
  unauthenticated: 'unauthorized',
  invalid_credentials: 'unauthorized',
  invalid_token: 'unauthorized',
  token_expired: 'unauthorized',
  forbidden: 'forbidden',
};

/** A refused login, token or role: a stable code and a message in English and Chinese. */
export class AuthError extends AppError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string) {
    super(code, AUTH_ERROR_KIND[code], message);
  }
}
