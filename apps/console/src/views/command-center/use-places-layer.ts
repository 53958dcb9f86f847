import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { maplibregl } from '../../map';
import { t } from '../../i18n';

/** Place fill and marker colours by compliance. */
export const COMPLIANCE_COLOURS = { compliant: '#27ae60', non_compliant: '#c0392b' } as const;

const LAYERS = ['places-fill', 'places-line', 'places-points'] as const;

/**
 * The places layer of the command center's map (switched on and off): the places in the caller's
 * scope from `GET /places`, polygons filled and points drawn, green when compliant and red while a
 * case an inspection opened is open; a click names the place and its state. Loaded when switched
 * on, and again each time.
 */
export function usePlacesLayer(map: MlMap | null, on: boolean, onError: (message: string) => void): { count: number | null } {
  const [count, setCount] = useState<number | null>(null);

  useEffect(() => {
    if (!map) return;
    if (!map.getSource('places')) {
      map.addSource('places', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      const colour = ['match', ['get', 'compliance'], 'non_compliant', COMPLIANCE_COLOURS.non_compliant, COMPLIANCE_COLOURS.compliant] as never;
      map.addLayer({ id: 'places-fill', type: 'fill', source: 'places', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.35 } });
      map.addLayer({ id: 'places-line', type: 'line', source: 'places', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': colour, 'line-width': 2 } });
      map.addLayer({
        id: 'places-points',
        type: 'circle',
        source: 'places',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-color': colour, 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-opacity': 0.9 },
      });
      for (const layer of ['places-fill', 'places-points']) {
        map.on('click', layer, (e) => {
          const p = e.features?.[0]?.properties as { name?: string; compliance?: string; kind?: string } | undefined;
          if (!p) return;
          const html = document.createElement('div');
          html.className = 'place-popup';
          html.textContent = `${p.name ?? ''} · ${p.compliance === 'non_compliant' ? t('nonCompliant') : t('compliant')}`;
          new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(html).addTo(map);
        });
      }
    }
    for (const layer of LAYERS) map.setLayoutProperty(layer, 'visibility', on ? 'visible' : 'none');
    if (!on) return;
    let live = true;
    api
      .get<GeoJSON.FeatureCollection>('/api/v1/places')
      .then((places) => {
        if (!live) return;
        (map.getSource('places') as GeoJSONSource).setData(places);
        setCount(places.features.length);
        map.getContainer().setAttribute('data-places', String(places.features.length));
      })
      .catch((e) => onError(errorText(e)));
    return () => void (live = false);
  }, [map, on]);

  return { count };
}
