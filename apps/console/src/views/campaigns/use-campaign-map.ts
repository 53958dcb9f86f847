import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app-context';
import { createMap, whenLoaded } from '../../map';
import { STATE_COLOURS, type CampaignItemView } from './campaign-types';

/** The campaign's items on a map of their own, each point coloured by its state; fitted to them once. */
export function useCampaignMap(items: readonly CampaignItemView[] | null): { ref: (el: HTMLDivElement | null) => void } {
  const { config } = useApp();
  const [map, setMap] = useState<MlMap | null>(null);
  const fitted = useRef(false);
  const ref = (el: HTMLDivElement | null) => {
    if (!el || map) return;
    const m = createMap(el, config);
    (window as unknown as { __wanggeCampaignMap?: MlMap }).__wanggeCampaignMap = m;
    void whenLoaded(m).then(() => {
      m.addSource('campaign-items', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'campaign-items',
        type: 'circle',
        source: 'campaign-items',
        paint: {
          'circle-color': ['match', ['get', 'state'], ...Object.entries(STATE_COLOURS).flat(), '#7f8c8d'] as never,
          'circle-radius': 10,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
      m.addLayer({ id: 'campaign-labels', type: 'symbol', source: 'campaign-items', layout: { 'text-field': ['get', 'name'], 'text-offset': [0, 1.4], 'text-size': 12 } });
      setMap(m);
    });
  };

  useEffect(() => {
    if (!map || !items) return;
    const features = items.map((i) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [i.place.lng, i.place.lat] },
      properties: { id: i.id, name: i.place.name, state: i.state },
    }));
    (map.getSource('campaign-items') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
    map.getContainer().setAttribute('data-items', String(features.length));
    if (!fitted.current && features.length > 0) {
      fitted.current = true;
      // The box got its size from the page's layout after the map was made: measure it again first.
      map.resize();
      const lngs = items.map((i) => i.place.lng);
      const lats = items.map((i) => i.place.lat);
      map.fitBounds([Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)], { padding: 60, maxZoom: 15, duration: 0 });
    }
  }, [map, items]);

  useEffect(() => () => map?.remove(), [map]);
  return { ref };
}
