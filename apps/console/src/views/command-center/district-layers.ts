/**
 * The layers that make the command center's map read like the district (issue 19): the district
 * outline, street and community boundaries with their names at their zooms, road names along the
 * roads, the case markers clustered when zoomed out, and the recurrence hotspots to switch on.
 * All from our own API: no base map, no glyph server. The style has no `glyphs` URL, so MapLibre
 * draws every label with the browser's own fonts (TinySDF), which works offline and in Chinese.
 */
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { api } from '../../api';
import { getLang } from '../../i18n';
import { caseColourExpression } from '../../map';

/** The fonts labels are drawn with (local fonts: the style has no glyphs URL). */
export const LABEL_FONT = ['sans-serif'];

/** Zooms at which each name is written: the district's when the whole of it is in view, then the streets', then the communities' and the roads'. */
export const LABEL_ZOOMS = {
  district: { min: 0, max: 11.5 },
  street: { min: 10.5, max: 14.5 },
  community: { min: 13.5, max: 24 },
  road: { min: 14, max: 24 },
} as const;

/** Below this zoom the case markers are grouped into clusters; from it each case is its own marker. */
export const CLUSTER_UNTIL_ZOOM = 14;

export type DivisionLevel = 'district' | 'street' | 'community';
const LEVELS: readonly DivisionLevel[] = ['district', 'street', 'community'];

interface OutlineProperties {
  level: DivisionLevel;
  code: string;
  name: string;
  nameEn: string | null;
  label: [number, number];
}

/** The label points of the outlines: one point per division with its name and level. */
export function labelPoints(outlines: GeoJSON.FeatureCollection[], lang = getLang()): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: outlines.flatMap((c) =>
      c.features.map((f) => {
        const p = f.properties as OutlineProperties;
        return {
          type: 'Feature' as const,
          id: `${p.level}-${p.code}`,
          geometry: { type: 'Point' as const, coordinates: p.label },
          properties: { level: p.level, code: p.code, name: lang === 'en' && p.nameEn ? p.nameEn : p.name },
        };
      }),
    ),
  };
}

/** Boundary lines by level: the district's dark and wide, streets' medium, communities' thin and dashed. */
const LINE_PAINT: Record<DivisionLevel, Record<string, unknown>> = {
  district: { 'line-color': '#2c3e50', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 16, 5] },
  street: { 'line-color': '#34495e', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 16, 3], 'line-opacity': 0.85 },
  community: { 'line-color': '#5d6d7e', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 16, 1.6], 'line-dasharray': [3, 2] },
};

const TEXT_SIZE: Record<DivisionLevel, unknown> = {
  district: 20,
  street: ['interpolate', ['linear'], ['zoom'], 10.5, 13, 14, 17],
  community: ['interpolate', ['linear'], ['zoom'], 13.5, 12, 17, 15],
};

/** The outlines of the district, its streets and communities (three GeoJSON collections, in {@link LEVELS} order). */
export function loadOutlines(): Promise<GeoJSON.FeatureCollection[]> {
  return Promise.all(LEVELS.map((level) => api.get<GeoJSON.FeatureCollection>(`/api/v1/divisions/outlines?level=${level}`)));
}

/** The boundaries, under the layer `before` (the roads); the larger drawn over the smaller. */
export function addDivisionLines(map: MlMap, outlines: GeoJSON.FeatureCollection[], before: string): void {
  for (const [i, level] of [...LEVELS.entries()].reverse()) {
    map.addSource(`outline-${level}`, { type: 'geojson', data: outlines[i] });
    map.addLayer({ id: `${level}-line`, type: 'line', source: `outline-${level}`, minzoom: level === 'community' ? 12 : 0, paint: LINE_PAINT[level] as never }, before);
  }
}

/** The names of the district, streets and communities at their zooms ({@link LABEL_ZOOMS}), over everything added before. */
export function addDivisionLabels(map: MlMap, outlines: GeoJSON.FeatureCollection[]): void {
  map.addSource('division-labels', { type: 'geojson', data: labelPoints(outlines) });
  for (const level of LEVELS) {
    map.addLayer({
      id: `${level}-labels`,
      type: 'symbol',
      source: 'division-labels',
      filter: ['==', ['get', 'level'], level],
      minzoom: LABEL_ZOOMS[level].min,
      maxzoom: LABEL_ZOOMS[level].max,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': TEXT_SIZE[level] as never,
        'text-max-width': 8,
        // a district's and a street's name always shows in its zoom range; communities give way to each other
        'text-allow-overlap': level !== 'community',
      },
      paint: {
        'text-color': level === 'community' ? '#4a5968' : '#1c2833',
        'text-halo-color': '#ffffff',
        'text-halo-width': 2,
      },
    });
  }
}

/** Road names along the roads (tiles carry `name`, the GeoJSON layer `roadName`). */
export function addRoadNames(map: MlMap, source: { source: string; sourceLayer?: string }): void {
  map.addLayer({
    id: 'road-names',
    type: 'symbol',
    source: source.source,
    ...(source.sourceLayer ? { 'source-layer': source.sourceLayer } : {}),
    minzoom: LABEL_ZOOMS.road.min,
    layout: {
      'symbol-placement': 'line',
      'text-field': ['coalesce', ['get', 'name'], ['get', 'roadName']],
      'text-font': LABEL_FONT,
      'text-size': 12,
      'symbol-spacing': 300,
    },
    paint: { 'text-color': '#1f3a5f', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });
}

/**
 * The case markers grouped when zoomed out: source `case-clusters` (the same cases as `cases`),
 * a bubble with the count per group and the lone cases, below {@link CLUSTER_UNTIL_ZOOM}. The
 * `cases` layer draws each case from that zoom (it stays queryable below it, transparent).
 */
export function addCaseClusters(map: MlMap): void {
  map.addSource('case-clusters', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, cluster: true, clusterMaxZoom: CLUSTER_UNTIL_ZOOM - 1, clusterRadius: 45 });
  const clustered: ExpressionSpecification = ['has', 'point_count'];
  map.addLayer({
    id: 'case-clusters',
    type: 'circle',
    source: 'case-clusters',
    maxzoom: CLUSTER_UNTIL_ZOOM,
    filter: clustered,
    paint: {
      'circle-color': '#2471a3',
      'circle-opacity': 0.85,
      'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22, 200, 28],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'case-cluster-count',
    type: 'symbol',
    source: 'case-clusters',
    maxzoom: CLUSTER_UNTIL_ZOOM,
    filter: clustered,
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': LABEL_FONT, 'text-size': 13, 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff' },
  });
  map.addLayer({
    id: 'case-singles',
    type: 'circle',
    source: 'case-clusters',
    maxzoom: CLUSTER_UNTIL_ZOOM,
    filter: ['!', clustered],
    paint: { 'circle-color': caseColourExpression() as never, 'circle-radius': 5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 },
  });
  map.on('click', 'case-clusters', async (e) => {
    const f = e.features?.[0];
    if (!f) return;
    const zoom = await (map.getSource('case-clusters') as GeoJSONSource).getClusterExpansionZoom(f.properties.cluster_id as number);
    map.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom: Math.max(zoom, map.getZoom() + 1), duration: 300 });
  });
}

/** The `cases` layer's opacity: none below {@link CLUSTER_UNTIL_ZOOM} (the clusters draw the cases there), full from it. */
export const CASES_OPACITY = ['step', ['zoom'], 0, CLUSTER_UNTIL_ZOOM, 1] as const;

/** A recurrence hotspot as the map draws it: its point, how many cases, the category's name. */
export function hotspotFeatures(body: GeoJSON.FeatureCollection, lang = getLang()): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: body.features.map((f) => {
      const p = f.properties as { id: string; caseCount: number; category: { name: string; nameEn: string }; street: { name: string } };
      return {
        type: 'Feature' as const,
        id: p.id,
        geometry: f.geometry,
        properties: { id: p.id, caseCount: p.caseCount, label: `${lang === 'en' ? p.category.nameEn : p.category.name} ×${p.caseCount}` },
      };
    }),
  };
}

/** The hotspot layer (hidden until switched on): rings sized by the cases in each, the category and count beside. */
export function addHotspotLayer(map: MlMap): void {
  map.addSource('hotspots', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'hotspots',
    type: 'circle',
    source: 'hotspots',
    layout: { visibility: 'none' },
    paint: {
      'circle-color': '#8e44ad',
      'circle-opacity': 0.25,
      'circle-radius': ['interpolate', ['linear'], ['get', 'caseCount'], 2, 12, 10, 26],
      'circle-stroke-color': '#8e44ad',
      'circle-stroke-width': 2.5,
    },
  });
  map.addLayer({
    id: 'hotspot-labels',
    type: 'symbol',
    source: 'hotspots',
    layout: { visibility: 'none', 'text-field': ['get', 'label'], 'text-font': LABEL_FONT, 'text-size': 12, 'text-offset': [0, 2], 'text-anchor': 'top' },
    paint: { 'text-color': '#6c3483', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });
}

/** Switches the hotspot layer on (loading the hotspots of the default period anew) or off; resolves to how many are shown. */
export async function showHotspots(map: MlMap, on: boolean): Promise<number> {
  const visibility = on ? 'visible' : 'none';
  if (on) {
    const body = await api.get<GeoJSON.FeatureCollection>('/api/v1/hotspots');
    (map.getSource('hotspots') as GeoJSONSource | undefined)?.setData(hotspotFeatures(body));
  }
  for (const id of ['hotspots', 'hotspot-labels']) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visibility);
  return on ? ((await (map.getSource('hotspots') as GeoJSONSource).getData()) as GeoJSON.FeatureCollection).features.length : 0;
}
