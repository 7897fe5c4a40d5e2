import { useMemo } from 'preact/hooks';
import type { Interval, SeriesPoint } from '../api';
import LineChart from './LineChart';

interface Props {
  points: SeriesPoint[];
  timezone: string;
  interval: Interval;
  height: number;
}

/** Clicks and unique visitors over time, in the report's time zone. Loaded only with Analytics. */
export default function Chart({ points, timezone, interval, height }: Props) {
  const times = useMemo(() => points.map((point) => point.start), [points]);
  const series = useMemo(
    () => [
      { label: 'Clicks', values: points.map((point) => point.clicks), color: '--accent', fill: '--accent-fill', points: points.length <= 60 },
      { label: 'Unique visitors', values: points.map((point) => point.unique_visitors), color: '--accent-2', dash: [6, 4] },
    ],
    [points],
  );
  return <LineChart times={times} series={series} height={height} timezone={timezone} timeLabel={interval === 'hour' ? 'Time' : 'Date'} />;
}
