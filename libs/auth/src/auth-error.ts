import { AppError, type AppErrorOptions, type ErrorKind } from '@wangge/operations';

/** Why a caller was not let in: no or a bad credential (401), or a role that may not do this (403). */
export type AuthErrorCode =
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'token_expired'
  | 'session_ended'
  | 'forbidden'
  | 'password_change_required'
  | 'wrong_password'
  | 'password_refused'
  | 'demo_password_refused';

export const AUTH_ERROR_KIND: Readonly<Record<AuthErrorCode, ErrorKind>> = {
  unauthenticated: 'unauthorized',
  invalid_credentials: 'unauthorized',
  invalid_token: 'unauthorized',
  token_expired: 'unauthorized',
  session_ended: 'unauthorized',
  forbidden: 'forbidden',
  password_change_required: 'forbidden',
  wrong_password: 'invalid',
  password_refused: 'invalid',
  demo_password_refused: 'forbidden',
};

/** A refused login, token or role: a stable code and a message in English and Chinese. */
export class AuthError extends AppError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, AUTH_ERROR_KIND[code], message, options);
  }
}
