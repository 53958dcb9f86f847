// The wall's trend chart: the trends page's ECharts code (drawCounts), on ECharts' dark theme with
// type sized to the screen. Loaded on demand, like the trends page's chart.
import { init, type EChartsType } from 'echarts/core';
import { drawCounts, type TrendLabels } from '../leader/trends-chart';
import type { TrendDayView } from '../leader/evaluation-types';

/** Draws the counts per day into `el` (reusing `chart` when given: one instance for the wall's life). */
export function drawWallTrends(el: HTMLElement, days: TrendDayView[], labels: TrendLabels, fontPx: number, chart?: EChartsType): EChartsType {
  const c = chart ?? init(el, 'dark', { renderer: 'svg' });
  drawCounts(el, days, labels, c);
  const small = Math.round(fontPx * 0.8);
  c.setOption({
    backgroundColor: 'transparent',
    legend: { textStyle: { fontSize: fontPx }, itemWidth: fontPx * 1.5, itemHeight: fontPx * 0.8 },
    grid: { left: fontPx * 3, right: fontPx, top: fontPx * 2.5, bottom: fontPx * 2 },
    xAxis: { axisLabel: { fontSize: small } },
    yAxis: { axisLabel: { fontSize: small }, splitLine: { lineStyle: { color: '#24344d' } } },
  });
  return c;
}
