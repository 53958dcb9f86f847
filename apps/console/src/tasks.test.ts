import { describe, expect, it } from 'vitest';
import { escalatedToMe, relationOf } from './tasks';

describe('a road chief’s tasks', () => {
  it('tells a task assigned to me from one escalated to me (someone else handles it)', () => {
    expect(relationOf({ assignee: { id: 7 } }, 7)).toBe('assigned');
    expect(relationOf({ assignee: { id: 3 } }, 7)).toBe('escalated');
    expect(relationOf({ assignee: null }, 7)).toBe('escalated');
    // not known until my own id is
    expect(relationOf({ assignee: { id: 7 } }, null)).toBeNull();
  });

  it('notices a feed event escalating a case to me', () => {
    expect(escalatedToMe({ type: 'case.escalated', escalatedTo: [5, 7] }, 7)).toBe(true);
    expect(escalatedToMe({ type: 'case.escalated', escalatedTo: [5] }, 7)).toBe(false);
    expect(escalatedToMe({ type: 'case.overdue', escalatedTo: [7] }, 7)).toBe(false);
    expect(escalatedToMe({ type: 'case.escalated', escalatedTo: [7] }, null)).toBe(false);
  });
});
