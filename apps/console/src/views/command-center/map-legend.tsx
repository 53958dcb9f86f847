import { t, useLang, type MessageKey } from '../../i18n';

/** A legend row: a swatch (a filled square, a line, a bubble) and its words. */
const ROWS: { key: MessageKey; swatch: Record<string, string>; kind: 'fill' | 'line' | 'dot' }[] = [
  { key: 'legendNoOpen', kind: 'fill', swatch: { background: '#ffffff', border: '1px solid #9aa7b4' } },
  { key: 'legendOpen', kind: 'fill', swatch: { background: '#f39c12', opacity: '0.75' } },
  { key: 'legendOverdue', kind: 'fill', swatch: { background: '#e74c3c', opacity: '0.75' } },
  { key: 'legendDistrict', kind: 'line', swatch: { borderTop: '4px solid #2c3e50' } },
  { key: 'legendStreet', kind: 'line', swatch: { borderTop: '2px solid #34495e' } },
  { key: 'legendCommunity', kind: 'line', swatch: { borderTop: '1.5px dashed #5d6d7e' } },
  { key: 'legendCluster', kind: 'dot', swatch: { background: '#2471a3' } },
  { key: 'legendHotspot', kind: 'dot', swatch: { background: 'rgba(142, 68, 173, 0.25)', border: '2px solid #8e44ad' } },
];

/** Over the map: the layers to switch on (the recurrence hotspots) and the legend of the cells' shading and the boundaries. */
export function MapLegend({ hotspots, onToggleHotspots }: { hotspots: { on: boolean; count: number | null }; onToggleHotspots(): void }) {
  useLang();
  return (
    <div class="map-legend" data-testid="map-legend">
      <b>{t('mapLayers')}</b>
      <label>
        <input type="checkbox" data-testid="toggle-hotspots" checked={hotspots.on} onChange={onToggleHotspots} /> {t('hotspotsLayer')}
        {hotspots.on && hotspots.count !== null && <span data-testid="hotspot-count"> ({hotspots.count})</span>}
      </label>
      {hotspots.on && hotspots.count === 0 && <div class="muted">{t('hotspotsNone')}</div>}
      <b>{t('legend')}</b>
      <ul>
        {ROWS.map((r) => (
          <li key={r.key}>
            <span class={`swatch ${r.kind}`} style={r.swatch} />
            {t(r.key)}
          </li>
        ))}
      </ul>
    </div>
  );
}
