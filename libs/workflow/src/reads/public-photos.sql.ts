import { PUBLIC_PHOTO_EVENTS } from '@wangge/auth';

/**
 * SQL: whether the `case_media` row under `alias` is a photo the public sees (the public view's
 * {@link PUBLIC_PHOTO_EVENTS}): attached with no event (the report) or with one of those events; a
 * photo merged in from a duplicate is judged by the event it had there.
 */
export function publicPhotoSql(alias: string): string {
  const types = PUBLIC_PHOTO_EVENTS.map((t) => `'${t}'`).join(', ');
  return `coalesce((SELECT pe.type FROM case_event pe
                     WHERE pe.seq = coalesce(${alias}.event_seq,
                                             (SELECT src.event_seq FROM case_media src WHERE src.case_id = ${alias}.via_case_id AND src.media_id = ${alias}.media_id))),
                   'case.reported') IN (${types})`;
}
