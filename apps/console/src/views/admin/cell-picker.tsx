import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { useApp } from '../../app-context';
import { createMap, whenLoaded } from '../../map';
import { words } from './admin-i18n';
import { toggleCell } from './people-model';

const w = words({
  hint: ['点击网格选中或取消，选中的网格以橙色显示', 'Click a cell to select or unselect it; selected cells are orange'],
  zoomIn: ['请放大地图以显示网格', 'Zoom in to see the cells'],
  otherStreet: ['该网格不属于所选街道', 'This cell is not in the chosen street'],
  selected: ['已选网格', 'Selected cells'],
});

/** From this zoom the picker loads the cells in view (GeoJSON, at most 5,000). */
const CELLS_MIN_ZOOM = 13;
/** The map opens at least this close, where a 100 m cell is large enough to click. */
const OPEN_MIN_ZOOM = 15;

interface CellPickerProps {
  /** The warden's street: only its cells can be picked. */
  streetCode: string;
  /** Where the map opens: the cells' box, else the street's. */
  bbox: [number, number, number, number] | null;
  cells: string[];
  onChange(cells: string[]): void;
}

/** A warden's cells on the map: click toggles a cell of their street, the selection is highlighted. */
export function CellPicker({ streetCode, bbox, cells, onChange }: CellPickerProps) {
  const { config } = useApp();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const cellsRef = useRef(cells);
  cellsRef.current = cells;
  const streetRef = useRef(streetCode);
  streetRef.current = streetCode;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const [hint, setHint] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, config, undefined, 15);
    mapRef.current = map;
    (window as unknown as { __wanggeCellPicker?: MlMap }).__wanggeCellPicker = map;
    if (bbox) {
      map.fitBounds(bbox, { padding: 20, duration: 0, maxZoom: 16 });
      // A whole street fits only far out, where cells are too small to click: open closer, centred.
      if (map.getZoom() < OPEN_MIN_ZOOM) map.setZoom(OPEN_MIN_ZOOM);
    }
    let live = true;
    let req = 0;
    const load = async () => {
      const source = map.getSource('picker-cells') as GeoJSONSource | undefined;
      if (!source) return;
      if (map.getZoom() < CELLS_MIN_ZOOM) return setHint(w('zoomIn'));
      setHint(null);
      const b = map.getBounds();
      const mine = ++req;
      try {
        const data = await api.get<GeoJSON.FeatureCollection>(`/api/v1/grid/cells?bbox=${[b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(',')}&limit=5000`);
        if (live && mine === req) {
          source.setData(data);
          map.once('idle', () => live && setReady(true));
        }
      } catch (e) {
        setHint(errorText(e));
      }
    };
    void whenLoaded(map).then(() => {
      if (!live) return;
      map.addSource('picker-cells', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'picker-fill', type: 'fill', source: 'picker-cells', paint: fillPaint(cellsRef.current, streetRef.current) as never });
      map.addLayer({ id: 'picker-line', type: 'line', source: 'picker-cells', paint: { 'line-color': '#7f8c8d', 'line-width': 0.5 } });
      map.on('click', 'picker-fill', (e) => {
        const p = e.features?.[0]?.properties as { code?: string; streetCode?: string } | undefined;
        if (!p?.code) return;
        if (p.streetCode !== streetRef.current) return setHint(w('otherStreet'));
        setHint(null);
        changeRef.current(toggleCell(cellsRef.current, p.code));
      });
      map.on('mouseenter', 'picker-fill', () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', 'picker-fill', () => (map.getCanvas().style.cursor = ''));
      map.on('moveend', () => void load());
      void load();
    });
    return () => {
      live = false;
      map.remove();
      mapRef.current = null;
    };
    // The map opens once per person and street; the selection is painted below.
  }, [config, streetCode, bbox?.join(',')]);

  useEffect(() => {
    const map = mapRef.current;
    if (map?.getLayer('picker-fill')) map.setPaintProperty('picker-fill', 'fill-color', fillPaint(cells, streetCode)['fill-color'] as never);
  }, [cells, streetCode]);

  return (
    <div class="cell-picker" data-testid="cell-picker" data-ready={ready ? 'true' : 'false'}>
      <p class="muted">{w('hint')}</p>
      <div class="map-wrap">
        <div ref={el} class="map small picker" />
        {hint && <div class="map-hint">{hint}</div>}
      </div>
      <p class="muted" data-testid="picked-cells">
        {w('selected')} ({cells.length}): {cells.join(', ') || '—'}
      </p>
    </div>
  );
}

/** Selected cells orange, the street's other cells clear, other streets' cells grey. */
function fillPaint(cells: readonly string[], streetCode: string): Record<string, unknown> {
  return {
    'fill-color': [
      'case',
      ['in', ['get', 'code'], ['literal', [...cells]]],
      '#e67e22',
      ['==', ['get', 'streetCode'], streetCode],
      'rgba(41, 128, 185, 0.08)',
      'rgba(127, 140, 141, 0.35)',
    ],
    'fill-opacity': 0.7,
  };
}
