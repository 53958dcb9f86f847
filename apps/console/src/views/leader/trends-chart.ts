// Apache ECharts, tree-shaken (the line and bar charts, their grid, tooltip and legend, the SVG
// renderer): loaded on demand by the trends page as a chunk of its own. No eval, no inline script:
// it runs under the console's `script-src 'self'`.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { TrendDayView } from './evaluation-types';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

export interface TrendLabels {
  reported: string;
  registered: string;
  closed: string;
  overdue: string;
  meanHours: string;
}

/** Draws (or redraws) the counts per day as lines, into `el`; returns the chart to dispose. */
export function drawCounts(el: HTMLElement, days: TrendDayView[], labels: TrendLabels, chart?: EChartsType): EChartsType {
  const c = chart ?? init(el, undefined, { renderer: 'svg' });
  const series = (key: 'reported' | 'registered' | 'closed' | 'overdue', color: string): LineSeriesOption => ({
    name: labels[key],
    type: 'line',
    smooth: true,
    symbolSize: 5,
    itemStyle: { color },
    data: days.map((d) => d[key]),
  });
  const option: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [series('reported', '#2f6fae'), series('registered', '#7a5cc4'), series('closed', '#2e8b57'), series('overdue', '#c0392b')],
  };
  c.setOption(option, true);
  return c;
}

/** Draws the mean handling time per day as bars. */
export function drawHandling(el: HTMLElement, days: TrendDayView[], labels: TrendLabels, chart?: EChartsType): EChartsType {
  const c = chart ?? init(el, undefined, { renderer: 'svg' });
  const option: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value' },
    series: [{ name: labels.meanHours, type: 'bar', itemStyle: { color: '#d68910' }, data: days.map((d) => d.meanHandlingHours) }],
  };
  c.setOption(option, true);
  return c;
}
