/**
 * The rows of a raw query through TypeORM: an UPDATE or DELETE … RETURNING answers
 * `[rows, count]`, every other statement its rows.
 */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}
