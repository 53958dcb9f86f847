import { useState } from 'preact/hooks';
import { api } from '../../api';
import { words } from './admin-i18n';
import { localInputValue } from '../../local-time';

export interface EditablePlan {
  id: string;
  placeKind: string | null;
  scope: { streets: { code: string; name: string }[] } | null;
  places: { id: string; name: string; unassigned: boolean }[];
  assigneeIds: string[] | null;
  to: string | null;
}
export interface PlaceOption {
  id: string;
  properties: { name: string };
}

const w = words({
  places: ['个点位', 'places'],
  follows: ['跟随类型', 'follows kind'],
  in: ['于', 'in'],
  wholeDistrict: ['全区', 'the whole district'],
  unassigned: ['个点位无人巡查（未设责任人）', 'places nobody inspects (no responsible person)'],
  site: ['工地', 'construction site'],
  market: ['市场', 'market'],
  checkpoint: ['卡点', 'checkpoint'],
  enterprise: ['企业', 'enterprise'],
  other: ['其他', 'other'],
  edit: ['编辑', 'Edit'],
  title: ['修改计划', 'Change the plan'],
  remove: ['移出', 'remove'],
  add: ['加入点位', 'Add places'],
  assignees: ['巡查人（用户ID，逗号分隔）', 'Inspectors (user ids, comma-separated)'],
  byResponsible: ['由各点位责任人巡查', "each place's responsible person"],
  assigneesNote: ['新巡查人即刻接手未完成的本轮巡查', 'New inspectors take the open inspections at once'],
  end: ['结束时间', 'End'],
  openEnded: ['长期（不设结束）', 'open-ended'],
  save: ['保存修改', 'Save changes'],
  cancel: ['取消', 'Cancel'],
  saved: ['计划已修改', 'Plan changed'],
  kindNote: ['按类型的计划随点位登记、变更自动增减点位', 'A plan by kind gains and loses places as they are registered and changed'],
});

type KindKey = 'site' | 'market' | 'checkpoint' | 'enterprise' | 'other';
const kindName = (k: string) => (['site', 'market', 'checkpoint', 'enterprise', 'other'].includes(k) ? w(k as KindKey) : k);

/** A plan's places: how many, whom it follows (a plan by kind: the kind and where), how many nobody inspects. */
export function PlanPlacesLine({ plan }: { plan: EditablePlan }) {
  const unassigned = plan.places.filter((p) => p.unassigned).length;
  const where = plan.scope && (plan.scope.streets.length === 0 ? w('wholeDistrict') : plan.scope.streets.map((s) => s.name).join('、'));
  return (
    <span data-testid="plan-places" data-count={plan.places.length}>
      {' · '}
      {plan.places.length} {w('places')}
      {plan.placeKind && (
        <span data-testid="plan-follows">
          {' · '}
          {w('follows')} {kindName(plan.placeKind)} {w('in')} {where}
        </span>
      )}
      {unassigned > 0 && (
        <span style={{ color: 'var(--red)' }} data-testid="plan-unassigned">
          {' · '}
          {unassigned} {w('unassigned')}
        </span>
      )}
    </span>
  );
}

export const editLabel = () => w('edit');

/** `PATCH /inspection-plans/:id`: places in and out (a plan by id), inspectors, the end. Sends only what changed. */
export function PlanEditForm(props: { plan: EditablePlan; places: PlaceOption[]; run: (what: () => Promise<unknown>, done: string) => Promise<void>; close: () => void }) {
  const { plan } = props;
  const [remove, setRemove] = useState<string[]>([]);
  const [add, setAdd] = useState<string[]>([]);
  const [byResponsible, setByResponsible] = useState(plan.assigneeIds === null);
  const [assignees, setAssignees] = useState((plan.assigneeIds ?? []).join(', '));
  const [openEnded, setOpenEnded] = useState(plan.to === null);
  const [to, setTo] = useState(plan.to ? localInputValue(plan.to) : '');
  const inPlan = new Set(plan.places.map((p) => p.id));

  function change(): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    if (add.length > 0) body.addPlaceIds = add;
    if (remove.length > 0) body.removePlaceIds = remove;
    const ids = assignees.split(/[,\s，]+/).filter(Boolean);
    if (byResponsible ? plan.assigneeIds !== null : ids.join(',') !== (plan.assigneeIds ?? []).join(',')) body.assigneeIds = byResponsible ? null : ids;
    if (openEnded ? plan.to !== null : to !== (plan.to ? localInputValue(plan.to) : '')) body.to = openEnded ? null : to ? new Date(to).toISOString() : '';
    return body;
  }

  return (
    <form
      class="card inline-form"
      data-testid="plan-edit-form"
      data-plan-id={plan.id}
      onSubmit={(e) => (
        e.preventDefault(),
        void props.run(async () => {
          await api.patch(`/api/v1/inspection-plans/${plan.id}`, change());
          props.close();
        }, w('saved'))
      )}
    >
      <b>{w('title')}</b>
      {plan.placeKind ? (
        <p class="muted">{w('kindNote')}</p>
      ) : (
        <>
          <ul class="checklist" data-testid="plan-edit-places">
            {plan.places.map((p) => (
              <li key={p.id}>
                <label class="check">
                  <input
                    type="checkbox"
                    name="removePlace"
                    value={p.id}
                    checked={remove.includes(p.id)}
                    onChange={(e) => setRemove(e.currentTarget.checked ? [...remove, p.id] : remove.filter((x) => x !== p.id))}
                  />
                  {w('remove')} {p.name}
                </label>
              </li>
            ))}
          </ul>
          <label>
            {w('add')}
            <select multiple name="addPlaceIds" onChange={(e) => setAdd([...e.currentTarget.selectedOptions].map((o) => o.value))}>
              {props.places
                .filter((p) => !inPlan.has(p.id))
                .map((p) => (
                  <option key={p.id} value={p.id} selected={add.includes(p.id)}>
                    {p.properties.name}
                  </option>
                ))}
            </select>
          </label>
        </>
      )}
      <label class="check">
        <input type="checkbox" name="byResponsible" checked={byResponsible} onChange={(e) => setByResponsible(e.currentTarget.checked)} />
        {w('byResponsible')}
      </label>
      {!byResponsible && (
        <label>
          {w('assignees')}
          <input name="assigneeIds" value={assignees} onInput={(e) => setAssignees(e.currentTarget.value)} />
        </label>
      )}
      <small class="muted">{w('assigneesNote')}</small>
      <label class="check">
        <input type="checkbox" name="openEnded" checked={openEnded} onChange={(e) => setOpenEnded(e.currentTarget.checked)} />
        {w('openEnded')}
      </label>
      {!openEnded && (
        <label>
          {w('end')}
          <input type="datetime-local" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      )}
      <button class="primary" type="submit">
        {w('save')}
      </button>
      <button type="button" class="link" onClick={props.close}>
        {w('cancel')}
      </button>
    </form>
  );
}
