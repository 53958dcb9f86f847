import { api, type CaseView } from '../../api';
import { fromView, OPEN_STATUSES, type MapCase } from '../../cases';

/** Pages of 200 read at most: the open cases a screen draws (2,000). */
const MAX_PAGES = 10;

/** The open cases in the caller's scope, as the map and the lists draw them (the command center, the wall screen). */
export async function loadOpenCases(): Promise<MapCase[]> {
  let cursor: string | null = null;
  const found: MapCase[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ status: OPEN_STATUSES.join(','), limit: '200' });
    if (cursor) q.set('cursor', cursor);
    const answer: { items: CaseView[]; nextCursor: string | null } = await api.get(`/api/v1/cases?${q}`);
    found.push(...answer.items.map(fromView));
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return found;
}
