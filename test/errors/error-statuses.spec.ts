import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_KIND, AuthError, type AuthErrorCode } from '@wangge/auth';
import { BulletinError, PeriodError } from '@wangge/bulletins';
import { CATALOGUE_ERROR_KIND, CatalogueError, type CatalogueErrorCode } from '@wangge/catalogue';
import { CHIEF_ERROR_KIND, ChiefError, type ChiefErrorCode } from '@wangge/chiefs';
import { EVALUATION_ERROR_KIND, EvaluationError, type EvaluationErrorCode } from '@wangge/evaluation';
import { TilesUnavailableError, TooManyFeaturesError } from '@wangge/geo';
import { MEDIA_ERROR_KIND, MediaError, type MediaRefusal } from '@wangge/media';
import { OPEN311_ERROR_KIND, Open311Error, type Open311Status } from '@wangge/open311';
import { AppError, STATUS_OF_KIND, toBody } from '@wangge/operations';
import { PEOPLE_ERROR_KIND, PeopleError, type PeopleErrorCode } from '@wangge/people';
import { CALENDAR_ERROR_KIND, CalendarError, CASE_ERROR_KIND, CaseError, type CalendarErrorCode, type CaseErrorCode } from '@wangge/workflow';

/**
 * Every code of every lib with the HTTP status clients get for it (written out, not derived: a
 * mapping that changes, or a code added without its status here, fails this test).
 */
const STATUSES = {
  workflow: {
    not_found: 404,
    forbidden: 403,
    not_assignee: 403,
    outside_jurisdiction: 403,
    illegal_transition: 409,
    bad_input: 400,
    unknown_category: 422,
    out_of_jurisdiction: 422,
    unknown_chief: 422,
    chief_unavailable: 422,
    bad_media: 422,
    bad_merge_target: 422,
    extension_limit: 409,
    bad_return_type: 422,
    idempotency_key_reused: 409,
    feedback_given: 409,
    reopen_window_passed: 409,
    already_reopened: 409,
    update_decided: 409,
    unknown_department: 422,
    department_unfit: 422,
  } satisfies Record<CaseErrorCode, number>,
  evaluation: {
    bad_input: 400,
    not_found: 404,
    forbidden: 403,
    not_assignee: 403,
    outside_jurisdiction: 403,
    not_overdue: 409,
    appeal_exists: 409,
    appeal_decided: 409,
  } satisfies Record<EvaluationErrorCode, number>,
  auth: {
    unauthenticated: 401,
    invalid_credentials: 401,
    invalid_token: 401,
    token_expired: 401,
    session_ended: 401,
    forbidden: 403,
    demo_password_refused: 403,
    password_change_required: 403,
    wrong_password: 400,
    password_refused: 400,
  } satisfies Record<AuthErrorCode, number>,
  media: {
    empty_file: 422,
    unsupported_media_type: 415,
    unreadable_image: 422,
    image_too_large: 422,
    upload_quota_exceeded: 429,
    decoder_busy: 503,
  } satisfies Record<MediaRefusal, number>,
  chiefs: { not_found: 404, bad_input: 400, unknown_deputy: 422, outside_jurisdiction: 403 } satisfies Record<ChiefErrorCode, number>,
  catalogue: { not_found: 404, bad_input: 400, category_exists: 409 } satisfies Record<CatalogueErrorCode, number>,
  calendar: { bad_input: 400 } satisfies Record<CalendarErrorCode, number>,
  people: {
    bad_input: 400,
    forbidden: 403,
    out_of_jurisdiction: 403,
    not_found: 404,
    username_taken: 409,
    own_account: 409,
    holds_chief_post: 409,
    import_rejected: 422,
  } satisfies Record<PeopleErrorCode, number>,
  geo: { bbox_too_large: 422, tiles_unavailable: 501 },
  bulletins: { period_not_ended: 422, bad_input: 400 },
};

/** code → the status of the error each lib throws with that code. */
function statusesOf<C extends string>(codes: readonly C[], make: (code: C) => AppError): Record<string, number> {
  return Object.fromEntries(codes.map((code) => [code, toBody(make(code)).statusCode]));
}

const keys = <C extends string>(table: Readonly<Record<C, unknown>>) => Object.keys(table) as C[];

describe('every error code of every lib maps to the status clients get today', () => {
  it('workflow (CaseError)', () => {
    expect(statusesOf(keys(CASE_ERROR_KIND), (c) => new CaseError(c, 'm'))).toEqual(STATUSES.workflow);
  });

  it('evaluation (EvaluationError)', () => {
    expect(statusesOf(keys(EVALUATION_ERROR_KIND), (c) => new EvaluationError(c, 'm'))).toEqual(STATUSES.evaluation);
  });

  it('auth (AuthError)', () => {
    expect(statusesOf(keys(AUTH_ERROR_KIND), (c) => new AuthError(c, 'm'))).toEqual(STATUSES.auth);
  });

  it('media (MediaError)', () => {
    expect(statusesOf(keys(MEDIA_ERROR_KIND), (c) => new MediaError(c, 'p'))).toEqual(STATUSES.media);
  });

  it('chiefs (ChiefError)', () => {
    expect(statusesOf(keys(CHIEF_ERROR_KIND), (c) => new ChiefError(c, 'm'))).toEqual(STATUSES.chiefs);
  });

  it('catalogue (CatalogueError) and the calendar (CalendarError)', () => {
    expect(statusesOf(keys(CATALOGUE_ERROR_KIND), (c) => new CatalogueError(c, 'm'))).toEqual(STATUSES.catalogue);
    expect(statusesOf(keys(CALENDAR_ERROR_KIND), () => new CalendarError('m', [{ field: 'year', problem: 'p' }]))).toEqual(STATUSES.calendar);
  });

  it('people (PeopleError)', () => {
    expect(statusesOf(keys(PEOPLE_ERROR_KIND), (c) => new PeopleError(c, 'm'))).toEqual(STATUSES.people);
  });

  it('geo (TooManyFeaturesError, TilesUnavailableError)', () => {
    expect(statusesOf(['bbox_too_large', 'tiles_unavailable'], (c) => (c === 'bbox_too_large' ? new TooManyFeaturesError(10) : new TilesUnavailableError('r')))).toEqual(
      STATUSES.geo,
    );
  });

  it('bulletins (BulletinError, PeriodError)', () => {
    expect(statusesOf(['period_not_ended', 'bad_input'], (c) => (c === 'bad_input' ? new PeriodError('date', 'm') : new BulletinError(c, 'm', 'date')))).toEqual(
      STATUSES.bulletins,
    );
  });

  it('open311 (Open311Error): each GeoReport status is the status answered', () => {
    for (const status of Object.keys(OPEN311_ERROR_KIND).map(Number) as Open311Status[]) {
      const error = new Open311Error(status, 'd');
      expect(error.status).toBe(status);
      expect(toBody(error).statusCode).toBe(status);
    }
  });

  it('the kinds: one status each', () => {
    expect(STATUS_OF_KIND).toEqual({
      invalid: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      unprocessable: 422,
      too_many: 429,
      not_implemented: 501,
      unavailable: 503,
    });
  });
});

describe('the bodies clients get, as before the errors had one base', () => {
  it('a case error: the code, the field at fault, the state of the case', () => {
    expect(toBody(new CaseError('illegal_transition', 'not now / 现在不行', 'action', 'closed'))).toEqual({
      statusCode: 409,
      error: 'illegal_transition',
      message: 'not now / 现在不行',
      details: [{ field: 'action', problem: 'not now / 现在不行' }],
      currentStatus: 'closed',
    });
    expect(toBody(new CaseError('not_found', 'case x not found'))).toEqual({ statusCode: 404, error: 'not_found', message: 'case x not found' });
  });

  it('an evaluation error names its field', () => {
    expect(toBody(new EvaluationError('bad_input', 'from must be a date', 'from'))).toEqual({
      statusCode: 400,
      error: 'bad_input',
      message: 'from must be a date',
      details: [{ field: 'from', problem: 'from must be a date' }],
    });
  });

  it('a refused upload names the field file with the problem of this file', () => {
    expect(toBody(new MediaError('empty_file', 'the file has no bytes'))).toEqual({
      statusCode: 422,
      error: 'empty_file',
      message: 'the file is empty / 文件为空',
      details: [{ field: 'file', problem: 'the file has no bytes' }],
    });
  });

  it('a box with too many features, and tiles on a database without MVT', () => {
    expect(toBody(new TooManyFeaturesError(10))).toEqual({
      statusCode: 422,
      error: 'bbox_too_large',
      message: 'more than 10 features in the box: zoom in or raise limit / 范围过大，请放大地图',
      details: [{ field: 'bbox', problem: 'more than 10 features in the box' }],
    });
    expect(toBody(new TilesUnavailableError('no protobuf-c'))).toEqual({
      statusCode: 501,
      error: 'tiles_unavailable',
      message: 'vector tiles are not available on this database: no protobuf-c; use GET /api/v1/grid/cells and /api/v1/roads / 当前数据库不支持矢量切片，请使用 GeoJSON 图层',
    });
  });

  it('bulletins: a period not ended names its field; a bad period text is bad_input', () => {
    expect(toBody(new BulletinError('period_not_ended', 'm', 'isoWeek'))).toEqual({
      statusCode: 422,
      error: 'period_not_ended',
      message: 'm',
      details: [{ field: 'isoWeek', problem: 'm' }],
    });
    expect(toBody(new PeriodError('date', 'm'))).toEqual({ statusCode: 400, error: 'bad_input', message: 'm', details: [{ field: 'date', problem: 'm' }] });
  });

  it('chiefs and auth', () => {
    expect(toBody(new ChiefError('not_found', 'road chief 7 not found'))).toEqual({ statusCode: 404, error: 'not_found', message: 'road chief 7 not found' });
    expect(toBody(new AuthError('token_expired', 'm'))).toEqual({ statusCode: 401, error: 'token_expired', message: 'm' });
  });
});
