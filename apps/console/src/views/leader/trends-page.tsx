import { useEffect, useRef, useState } from 'preact/hooks';
import type { EChartsType } from 'echarts/core';
import { api, errorText, type Category } from '../../api';
import { ErrorLine, PeriodInputs } from '../../components/common';
import { useLang } from '../../i18n';
import { lw } from './leader-i18n';
import type { EvaluationReportView, TrendsView } from './evaluation-types';
import { dateBefore, fixed } from './period';

interface StreetOption {
  code: string;
  name: string;
}

/**
 * 趋势: reported, registered, closed and overdue per day over a period, for the whole scope, a street
 * or a category, and the mean handling time (`GET /api/v1/evaluation/trends`), drawn with ECharts.
 */
export function TrendsPage() {
  const lang = useLang();
  const [from, setFrom] = useState(dateBefore(29));
  const [to, setTo] = useState(dateBefore(0));
  const [street, setStreet] = useState('');
  const [category, setCategory] = useState('');
  const [streets, setStreets] = useState<StreetOption[]>([]);
  const [categories, setCategories] = useState<Category[]>([]);
  const [trends, setTrends] = useState<TrendsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const countsEl = useRef<HTMLDivElement>(null);
  const handlingEl = useRef<HTMLDivElement>(null);
  const charts = useRef<{ counts?: EChartsType; handling?: EChartsType }>({});

  useEffect(() => {
    // The streets the caller sees: those of their evaluation over the period (names from the server).
    api
      .get<EvaluationReportView>(`/api/v1/evaluation?from=${from}&to=${to}&groupBy=street`)
      .then((r) => setStreets(r.rows.map((row) => ({ code: row.group.id, name: row.group.name }))))
      .catch(() => setStreets([]));
    api.get<Category[]>('/api/v1/categories').then(setCategories).catch(() => setCategories([]));
    const resize = () => (charts.current.counts?.resize(), charts.current.handling?.resize());
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      charts.current.counts?.dispose();
      charts.current.handling?.dispose();
    };
  }, []);

  useEffect(() => {
    let live = true;
    const q = `from=${from}&to=${to}${street ? `&street=${street}` : ''}${category ? `&category=${category}` : ''}`;
    api
      .get<TrendsView>(`/api/v1/evaluation/trends?${q}`)
      .then((r) => live && (setTrends(r), setError(null)))
      .catch((e) => live && (setTrends(null), setError(errorText(e))));
    return () => void (live = false);
  }, [from, to, street, category]);

  useEffect(() => {
    if (!trends || !countsEl.current || !handlingEl.current) return;
    const labels = { reported: lw('reported'), registered: lw('registered'), closed: lw('closed'), overdue: lw('overdue'), meanHours: lw('meanHours') };
    let live = true;
    void import('./trends-chart').then(({ drawCounts, drawHandling }) => {
      if (!live || !countsEl.current || !handlingEl.current) return;
      charts.current.counts = drawCounts(countsEl.current, trends.days, labels, charts.current.counts);
      charts.current.handling = drawHandling(handlingEl.current, trends.days, labels, charts.current.handling);
    });
    return () => void (live = false);
  }, [trends, lang]);

  return (
    <section class="leader-page" data-testid="trends-page">
      <h2>{lw('trends')}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} labels={[lw('from'), lw('to')]} />
        <label>
          {lw('street')}
          <select name="street" value={street} onChange={(e) => setStreet(e.currentTarget.value)}>
            <option value="">{lw('all')}</option>
            {streets.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {lw('category')}
          <select name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{lw('all')}</option>
            {categories.map((c) => (
              <option key={c.minor.code} value={c.minor.code}>
                {c.minor.code} {lang === 'zh' ? c.minor.name : c.minor.nameEn}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorLine error={error} />
      {trends && (
        <dl class="totals" data-testid="trend-totals" data-reported={trends.totals.reported} data-closed={trends.totals.closed} data-overdue={trends.totals.overdue}>
          <dt>{lw('reported')}</dt>
          <dd>{trends.totals.reported}</dd>
          <dt>{lw('registered')}</dt>
          <dd>{trends.totals.registered}</dd>
          <dt>{lw('closed')}</dt>
          <dd>{trends.totals.closed}</dd>
          <dt>{lw('overdue')}</dt>
          <dd>{trends.totals.overdue}</dd>
          <dt>{lw('meanHours')}</dt>
          <dd data-testid="mean-hours">{fixed(trends.totals.meanHandlingHours)}</dd>
        </dl>
      )}
      <h3>{lw('perDay')}</h3>
      <div class="chart" ref={countsEl} data-testid="chart-counts" />
      <h3>{lw('meanPerDay')}</h3>
      <div class="chart" ref={handlingEl} data-testid="chart-handling" />
    </section>
  );
}
