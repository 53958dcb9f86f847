import { useState } from 'preact/hooks';
import type { CaseView } from '../api';
import { useApp } from '../app-context';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { ReportForm, trackingLinkOf } from './report-form';

/** Anonymous report: no account; the answer's tracking link follows the case. */
export function CitizenReport() {
  useLang();
  const { config } = useApp();
  const [reported, setReported] = useState<CaseView | null>(null);
  const link = reported ? trackingLinkOf(reported) : null;
  return (
    <section class="phone">
      <h2>{t('report')}</h2>
      {reported && link ? (
        <div class="card notice" data-testid="reported">
          <p>
            {t('reported')}: <b>{reported.code}</b>
          </p>
          <p class="muted">{t('trackingLink')}:</p>
          <a href={link} data-testid="tracking-link" onClick={(e) => (e.preventDefault(), navigate(new URL(link).pathname + new URL(link).search))}>
            {link}
          </a>
        </div>
      ) : (
        <ReportForm config={config} anonymous showCells={false} onReported={setReported} />
      )}
    </section>
  );
}
