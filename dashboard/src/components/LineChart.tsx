import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LineSeries {
  label: string;
  values: number[];
  /** A CSS custom property of the theme, e.g. --accent. */
  color: string;
  dash?: number[];
  /** A CSS custom property filling the area under the line. */
  fill?: string;
  points?: boolean;
}

interface Props {
  /** Start of each point, ISO. */
  times: string[];
  series: LineSeries[];
  height: number;
  /** IANA zone the time axis is drawn in (default: the browser's). */
  timezone?: string;
  /** Name of the time in the legend. */
  timeLabel?: string;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Several counts over time (uPlot, in the browser's zone); loaded only by the screens that draw one. */
export default function LineChart({ times, series, height, timezone, timeLabel = 'Time' }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    let plot: uPlot | null = null;
    const data: uPlot.AlignedData = [times.map((time) => Date.parse(time) / 1000), ...series.map((s) => s.values)];
    const build = () => {
      plot?.destroy();
      const grid = css('--border');
      const axis = { stroke: css('--muted'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      plot = new uPlot(
        {
          width: Math.max(280, host.clientWidth),
          height,
          tzDate: timezone ? (ts) => uPlot.tzDate(new Date(ts * 1000), timezone) : undefined,
          legend: { live: true },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
          series: [
            { label: timeLabel },
            ...series.map((s) => ({ label: s.label, stroke: css(s.color), width: 2, dash: s.dash, fill: s.fill && css(s.fill), points: { show: s.points ?? false } })),
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
  }, [times, series, height, timezone, timeLabel]);
  return <div ref={ref} class="chart" aria-hidden="true" />;
}
