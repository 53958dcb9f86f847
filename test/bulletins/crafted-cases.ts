import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';

/**
 * Case histories written straight into the database (case_file + case_event), at chosen instants:
 * bulletins and hotspots are about the past, and the evaluation engine reads only the events. The
 * rows follow what the workflow writes (statuses, event types, `state` with assignee and deadline).
 */
export interface CraftedEvent {
  type: string;
  at: Date;
  from: string | null;
  to: string;
  state?: Record<string, unknown>;
  evidence?: Record<string, unknown>;
}

export interface CraftedCase {
  category?: string;
  lng: number;
  lat: number;
  cellCode: string;
  status: string;
  createdAt: Date;
  closedAt?: Date | null;
  assigneeChiefId?: number | null;
  assigneeDepartmentCode?: string | null;
  deadlineAt?: Date | null;
  overdue?: boolean;
  mergedInto?: string | null;
  events?: CraftedEvent[];
}

let sequence = 0;

/** Inserts one case and its events; returns its id and code. */
export async function craftCase(db: Client, c: CraftedCase): Promise<{ id: string; code: string }> {
  const id = randomUUID();
  sequence += 1;
  // A day of its own for crafted codes (each test file has its own database).
  const code = `410104-20200101-${String(sequence).padStart(6, '0')}`;
  const { rows } = await db.query(`SELECT street_code, community_code FROM grid_cell WHERE code = $1`, [c.cellCode]);
  const { street_code: street, community_code: community } = rows[0];
  await db.query(
    `INSERT INTO case_file (id, code, status, category_code, description, location, reported_coord_system, reported_lng, reported_lat,
                            grid_cell_code, street_code, community_code, source, tracking_token_hash, assignee_chief_id, deadline_at,
                            overdue, closed_at, merged_into, created_at, updated_at, assignee_department_code)
     VALUES ($1, $2, $3, $4, 'crafted / 测试', ST_SetSRID(ST_MakePoint($5, $6), 4326), 'wgs84', $5, $6, $7, $8, $9, 'warden', $10,
             $11, $12, $13, $14, $15, $16, $16, $17)`,
    [
      id,
      code,
      c.status,
      c.category ?? 'C0101',
      c.lng,
      c.lat,
      c.cellCode,
      street,
      community,
      randomBytes(32).toString('hex'),
      c.assigneeChiefId ?? null,
      c.deadlineAt ?? null,
      c.overdue ?? false,
      c.closedAt ?? null,
      c.mergedInto ?? null,
      c.createdAt,
      c.assigneeDepartmentCode ?? null,
    ],
  );
  for (const e of c.events ?? [{ type: 'case.reported', at: c.createdAt, from: null, to: 'reported' }]) {
    await db.query(
      `INSERT INTO case_event (case_id, type, actor_role, from_status, to_status, evidence, state, at) VALUES ($1, $2, 'system', $3, $4, $5, $6, $7)`,
      [id, e.type, e.from, e.to, e.evidence ?? {}, e.state ?? {}, e.at],
    );
  }
  return { id, code };
}

/** A point `east` and `north` metres from a point (small distances). */
export function offset(p: { lng: number; lat: number }, east: number, north: number): { lng: number; lat: number } {
  return { lng: p.lng + east / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + north / 110_574 };
}

const MIN = 60_000;
const HOUR = 3_600_000;

export interface Chief {
  id: number;
  name: string;
  level: number;
}

/**
 * A full closed loop: reported at `t0`, registered +1 min, dispatched +2 min to `chief` with a
 * deadline `limitH` hours later, resolved after `resolveAfterH` hours (overdue mark at the deadline
 * when late), closed 30 min after the resolve. `resolveAfterH` null: still dispatched (open).
 */
export function loop(t0: Date, chief: Chief, limitH: number, resolveAfterH: number | null): { events: CraftedEvent[]; status: string; closedAt: Date | null; deadlineAt: Date; overdue: boolean } {
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const dispatchedAt = at(2 * MIN);
  const deadline = new Date(dispatchedAt.getTime() + limitH * HOUR);
  const assignee = { id: chief.id, name: chief.name, level: chief.level };
  const base = { assignee, escalationLevel: 0, escalatedTo: [], deadlineAt: deadline.toISOString(), overdue: false };
  const events: CraftedEvent[] = [
    { type: 'case.reported', at: t0, from: null, to: 'reported' },
    { type: 'case.registered', at: at(MIN), from: 'reported', to: 'registered' },
    { type: 'case.dispatched', at: dispatchedAt, from: 'registered', to: 'dispatched', state: base, evidence: { assignee } },
  ];
  const resolvedAt = resolveAfterH === null ? null : at(resolveAfterH * HOUR);
  const late = resolvedAt === null || resolvedAt.getTime() > deadline.getTime();
  if (late) events.push({ type: 'case.overdue', at: deadline, from: 'dispatched', to: 'dispatched', state: { ...base, overdue: true } });
  if (resolvedAt === null) return { events, status: 'dispatched', closedAt: null, deadlineAt: deadline, overdue: true };
  const state = { ...base, overdue: late };
  events.push({ type: 'case.accepted', at: at(3 * MIN), from: 'dispatched', to: 'in_progress', state: { ...state, overdue: false } });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  const closedAt = new Date(resolvedAt.getTime() + 30 * MIN);
  events.push({ type: 'case.resolved', at: resolvedAt, from: 'in_progress', to: 'resolved', state });
  events.push({ type: 'case.closed', at: closedAt, from: 'resolved', to: 'closed', state });
  return { events, status: 'closed', closedAt, deadlineAt: deadline, overdue: late };
}

/** {@link loop} for a case dispatched to a department (domain.md 9), as the workflow records it. */
export function departmentLoop(t0: Date, department: { code: string; name: string }, resolveAfterH: number | null): ReturnType<typeof loop> {
  const l = loop(t0, { id: 0, name: 'unused', level: 3 }, 2, resolveAfterH);
  const assignee = { kind: 'department', code: department.code, name: department.name };
  const events: CraftedEvent[] = l.events.map((e) => ({
    ...e,
    state: e.state ? { ...e.state, assignee } : undefined,
    evidence: e.type === 'case.dispatched' ? { assignee } : e.evidence,
  }));
  return { ...l, events };
}
