/** The statuses of a case still being worked on (the partial indexes on case_file use the same list). */
export const OPEN_CASE_STATUSES_SQL = `('reported', 'registered', 'dispatched', 'in_progress', 'resolved')`;
