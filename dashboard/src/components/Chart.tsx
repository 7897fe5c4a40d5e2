import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Interval, SeriesPoint } from '../api';

interface Props {
  points: SeriesPoint[];
  timezone: string;
  interval: Interval;
  height: number;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Clicks and unique visitors over time, drawn by uPlot in the report's time zone. Loaded only with Analytics. */
export default function Chart({ points, timezone, interval, height }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    let plot: uPlot | null = null;
    const data: uPlot.AlignedData = [
      points.map((point) => Date.parse(point.start) / 1000),
      points.map((point) => point.clicks),
      points.map((point) => point.unique_visitors),
    ];
    const build = () => {
      plot?.destroy();
      const text = css('--muted');
      const grid = css('--border');
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      plot = new uPlot(
        {
          width: Math.max(280, host.clientWidth),
          height,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timezone),
          cursor: { drag: { x: false, y: false } },
          legend: { live: true },
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
          series: [
            { label: interval === 'hour' ? 'Time' : 'Date' },
            { label: 'Clicks', stroke: css('--accent'), width: 2, fill: css('--accent-fill'), points: { show: points.length <= 60 } },
            { label: 'Unique visitors', stroke: css('--accent-2'), width: 2, dash: [6, 4], points: { show: false } },
          ],
          axes: [axis, { ...axis, size: 48, values: (_u, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? tick.toLocaleString() : '')) }],
        },
        data,
        host,
      );
    };
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, host.clientWidth), height }));
    resize.observe(host);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', build);
      plot?.destroy();
    };
  }, [points, timezone, interval, height]);

  return <div ref={ref} class="chart" aria-hidden="true" />;
}
