/** What a TimeChart draws: series of [time, value] and horizontal reference lines. */

export interface ChartSeries {
  key: string;
  label: string;
  /** [time ms, value] sorted by time. */
  points: [number, number][];
}

export interface ChartMarker {
  label: string;
  value: number;
  kind: 'capacity' | 'allocatable' | 'request' | 'limit';
}
