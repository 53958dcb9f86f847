import type { Map as MlMap, Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, uploadPhotos, type Category, type CaseView, type ConsoleConfig } from '../api';
import { ErrorLine, PhotoInput } from '../components/common';
import { t, useLang } from '../i18n';
import { createMap, maplibregl, whenLoaded } from '../map';

/** A report as the form makes it, before its photos are uploaded. */
export interface ReportDraft {
  categoryCode: string;
  conditionNo: number;
  description: string;
  location: { lng: number; lat: number };
}

/**
 * Report a problem: position (GPS or a tap on the map), category and condition, description, photos.
 * `send`: how the report goes out instead of straight to the API (the field pages' offline outbox);
 * it answers the reported case, or null when the report was kept to be sent later.
 */
export function ReportForm({
  config,
  anonymous,
  showCells,
  onReported,
  send,
}: {
  config: ConsoleConfig | null;
  anonymous: boolean;
  showCells: boolean;
  onReported(c: CaseView): void;
  send?: (report: ReportDraft, files: File[]) => Promise<CaseView | null>;
}) {
  const lang = useLang();
  const [categories, setCategories] = useState<Category[]>([]);
  const [category, setCategory] = useState('');
  const [conditionNo, setConditionNo] = useState(1);
  const [description, setDescription] = useState('');
  const [lng, setLng] = useState('');
  const [lat, setLat] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const markerRef = useRef<Marker | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());

  useEffect(() => {
    api.get<Category[]>('/api/v1/categories', { anonymous }).then(setCategories).catch((e) => setError(errorText(e)));
  }, [anonymous]);

  useEffect(() => {
    if (!mapEl.current) return;
    const map = createMap(mapEl.current, config, undefined, 15);
    mapRef.current = map;
    map.on('click', (e) => {
      setLng(e.lngLat.lng.toFixed(6));
      setLat(e.lngLat.lat.toFixed(6));
    });
    if (showCells) {
      whenLoaded(map).then(async () => {
        map.addSource('cells', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'cells', type: 'line', source: 'cells', paint: { 'line-color': '#7f8c8d', 'line-width': 0.6 } });
        map.addSource('roads', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': '#1f3a5f', 'line-width': 3 } });
        const load = async () => {
          if (map.getZoom() < 14) return;
          const b = map.getBounds();
          const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(',');
          try {
            const [cells, roads] = await Promise.all([
              api.get<GeoJSON.FeatureCollection>(`/api/v1/grid/cells?bbox=${bbox}&limit=5000`),
              api.get<GeoJSON.FeatureCollection>(`/api/v1/roads?bbox=${bbox}&limit=5000`),
            ]);
            (map.getSource('cells') as maplibregl.GeoJSONSource).setData(cells);
            (map.getSource('roads') as maplibregl.GeoJSONSource).setData(roads);
          } catch (e) {
            setError(errorText(e));
          }
        };
        map.on('moveend', () => void load());
        void load();
      });
    }
    return () => map.remove();
  }, [config, showCells]);

  // The chosen point is shown on the map.
  useEffect(() => {
    const map = mapRef.current;
    const x = Number(lng);
    const y = Number(lat);
    if (!map || !lng || !lat || Number.isNaN(x) || Number.isNaN(y)) return;
    if (!markerRef.current) markerRef.current = new maplibregl.Marker({ color: '#c0392b' }).setLngLat([x, y]).addTo(map);
    else markerRef.current.setLngLat([x, y]);
  }, [lng, lat]);

  function gps() {
    setError(null);
    if (!navigator.geolocation) return setError(lang === 'zh' ? '浏览器不支持定位' : 'this browser has no geolocation');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLng(p.coords.longitude.toFixed(6));
        setLat(p.coords.latitude.toFixed(6));
        mapRef.current?.jumpTo({ center: [p.coords.longitude, p.coords.latitude], zoom: 16 });
      },
      (err) => setError(`GPS: ${err.message}`),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const report: ReportDraft = { categoryCode: category, conditionNo, description, location: { lng: Number(lng), lat: Number(lat) } };
      let created: CaseView | null;
      if (send) created = await send(report, files);
      else {
        const mediaIds = files.length ? await uploadPhotos(files, { anonymous }) : undefined;
        created = await api.post<CaseView>('/api/v1/cases', { ...report, ...(mediaIds ? { mediaIds } : {}) }, { anonymous, headers: { 'Idempotency-Key': idempotencyKey.current } });
        idempotencyKey.current = crypto.randomUUID();
      }
      setFiles([]);
      setDescription('');
      if (created) onReported(created);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const chosen = categories.find((c) => c.code === category);
  return (
    <form class="report-form" onSubmit={submit} data-testid="report-form">
      <div class="row">
        <button type="button" data-testid="gps" onClick={gps}>
          📍 {t('useGps')}
        </button>
        <span class="muted">{t('tapMap')}</span>
      </div>
      <div ref={mapEl} class="map small" data-testid="report-map" />
      <div class="row">
        <label>
          {t('lng')}
          <input name="lng" inputMode="decimal" value={lng} onInput={(e) => setLng(e.currentTarget.value)} required />
        </label>
        <label>
          {t('lat')}
          <input name="lat" inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} required />
        </label>
      </div>
      <label>
        {t('category')}
        <select name="category" value={category} onChange={(e) => (setCategory(e.currentTarget.value), setConditionNo(1))} required>
          <option value="">—</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {lang === 'zh' ? `${c.major.name} - ${c.minor.name}` : `${c.major.nameEn} - ${c.minor.nameEn}`}
            </option>
          ))}
        </select>
      </label>
      {chosen?.standard && chosen.standard.conditions.length > 0 && (
        <label>
          {lang === 'zh' ? '立案条件' : 'Condition'}
          <select name="condition" value={conditionNo} onChange={(e) => setConditionNo(Number(e.currentTarget.value))}>
            {chosen.standard.conditions.map((c) => (
              <option key={c.no} value={c.no}>
                {lang === 'zh' ? c.condition : c.conditionEn} ({c.timeLimit.value} {c.timeLimit.clockType})
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('description')}
        <textarea name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} required maxLength={2000} />
      </label>
      <PhotoInput files={files} onChange={setFiles} testid="report-photos" />
      <ErrorLine error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('uploading') : t('report')}
      </button>
    </form>
  );
}

/** The link a reporter keeps to follow the case. */
export function trackingLinkOf(c: CaseView): string | null {
  return c.trackingToken ? `${location.origin}/track/${c.id}?token=${encodeURIComponent(c.trackingToken)}` : null;
}
