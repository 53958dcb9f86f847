import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import { ErrorLine } from '../components/common';
import { t } from '../i18n';

interface Duty {
  onDuty: boolean;
  location: { lng: number; lat: number } | null;
  locatedAt: string | null;
}

/** Where the phone is, if it may say (a refusal or a timeout goes on duty without a place). */
function here(): Promise<{ lng: number; lat: number } | undefined> {
  const geo = globalThis.navigator?.geolocation;
  if (!geo) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    geo.getCurrentPosition(
      (p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude }),
      () => resolve(undefined),
      { timeout: 5000, maximumAge: 60_000 },
    );
  });
}

/** The warden's on-duty switch (issue 22 item 5): on duty, the nearest warden gets the checks of the cells. */
export function DutySwitch({ onChanged }: { onChanged(): void }) {
  const [duty, setDuty] = useState<Duty | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<Duty>('/api/v1/me/duty')
      .then(setDuty)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  async function toggle() {
    if (!duty) return;
    setBusy(true);
    setError(null);
    try {
      const onDuty = !duty.onDuty;
      const location = onDuty ? await here() : undefined;
      setDuty(await api.patch<Duty>('/api/v1/me/duty', location ? { onDuty, location } : { onDuty }));
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (!duty) return <ErrorLine error={error} />;
  return (
    <div class="card duty" data-testid="duty" data-on-duty={String(duty.onDuty)}>
      <div class="row">
        <b class={duty.onDuty ? 'duty-on' : 'duty-off'}>{duty.onDuty ? t('onDuty') : t('offDuty')}</b>
        <button class={duty.onDuty ? '' : 'primary'} disabled={busy} data-testid="duty-toggle" onClick={() => void toggle()}>
          {duty.onDuty ? t('goOffDuty') : t('goOnDuty')}
        </button>
      </div>
      <p class="muted">
        {t('lastPlace')}: {duty.location ? `${duty.location.lng.toFixed(5)}, ${duty.location.lat.toFixed(5)}` : t('noPlace')}
      </p>
      <p class="muted small">{t('dutyHint')}</p>
      <ErrorLine error={error} />
    </div>
  );
}
