import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLang } from './i18n';
import { MapLegend } from './views/command-center/map-legend';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
  setLang('zh');
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('the map’s layer box and legend', () => {
  it('lists the cells’ shading and the boundaries in both languages', () => {
    act(() => render(<MapLegend hotspots={{ on: false, count: null }} onToggleHotspots={() => {}} />, root));
    const rows = [...root.querySelectorAll('[data-testid=map-legend] li')].map((li) => li.textContent);
    expect(rows.slice(0, 6)).toEqual(['无在办案件的网格', '有在办案件的网格', '有超期案件的网格', '区界', '街道界', '社区界']);
    act(() => setLang('en'));
    expect(root.textContent).toContain('Street boundary');
    expect(root.textContent).toContain('Recurrence hotspots');
  });

  it('switches the hotspots and shows how many, or that there are none', () => {
    const toggle = vi.fn();
    act(() => render(<MapLegend hotspots={{ on: false, count: null }} onToggleHotspots={toggle} />, root));
    expect(root.querySelector('[data-testid=hotspot-count]')).toBeNull();
    act(() => (root.querySelector('[data-testid=toggle-hotspots]') as HTMLInputElement).click());
    expect(toggle).toHaveBeenCalledTimes(1);
    act(() => render(<MapLegend hotspots={{ on: true, count: 7 }} onToggleHotspots={toggle} />, root));
    expect(root.querySelector('[data-testid=hotspot-count]')!.textContent).toBe(' (7)');
    act(() => render(<MapLegend hotspots={{ on: true, count: 0 }} onToggleHotspots={toggle} />, root));
    expect(root.textContent).toContain('所选时段内没有复发热点');
  });
});
