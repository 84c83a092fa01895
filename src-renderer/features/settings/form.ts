/**
 * The Settings form's text fields ⇄ DesktopSettings: empty means "the default" (null), counts
 * must be whole, the time scale a number in its range. Pure, so it is unit-tested.
 */
import type { DesktopSettings, FieldError } from './bridge';

/** `kubesim serve --time-scale` bounds (the IPC map's MIN_/MAX_TIME_SCALE; a unit test keeps them equal). */
export const TIME_SCALE_MIN = 0.1;
export const TIME_SCALE_MAX = 100;

export interface SettingsForm {
  dataDir: string;
  apiPort: string;
  nodes: string;
  timeScale: string;
  mergeKubeconfig: boolean;
}

export function toForm(s: DesktopSettings): SettingsForm {
  return {
    dataDir: s.dataDir ?? '',
    apiPort: s.apiPort === null ? '' : String(s.apiPort),
    nodes: String(s.nodes),
    timeScale: String(s.timeScale),
    mergeKubeconfig: s.mergeKubeconfig,
  };
}

function wholeNumber(field: string, raw: string, min: number, max: number, errors: FieldError[]): number | undefined {
  const t = raw.trim();
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) {
    errors.push({ field, message: `a whole number from ${min} to ${max}` });
    return undefined;
  }
  return Number(t);
}

/** A number such as 10, 2.5 or 0.5 (a comma as the decimal mark is accepted too); empty means real time. */
function timeScale(raw: string, errors: FieldError[]): number | undefined {
  const t = raw.trim().replace(',', '.');
  if (t === '') return 1;
  const n = Number(t);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t) || n < TIME_SCALE_MIN || n > TIME_SCALE_MAX) {
    errors.push({ field: 'timeScale', message: `a number from ${TIME_SCALE_MIN} to ${TIME_SCALE_MAX} (1 = real time)` });
    return undefined;
  }
  return n;
}

/** The settings to send, or the fields that are not numbers (the main process checks the rest). */
export function fromForm(f: SettingsForm): { settings?: DesktopSettings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const apiPort = f.apiPort.trim() === '' ? null : wholeNumber('apiPort', f.apiPort, 0, 65535, errors);
  const nodes = wholeNumber('nodes', f.nodes, 0, 1000, errors);
  const scale = timeScale(f.timeScale, errors);
  if (errors.length || apiPort === undefined || nodes === undefined || scale === undefined) return { errors };
  return { settings: { dataDir: f.dataDir.trim() === '' ? null : f.dataDir.trim(), apiPort, nodes, timeScale: scale, mergeKubeconfig: f.mergeKubeconfig }, errors };
}

export function sameSettings(a: DesktopSettings, b: DesktopSettings): boolean {
  return a.dataDir === b.dataDir && a.apiPort === b.apiPort && a.nodes === b.nodes && a.timeScale === b.timeScale && a.mergeKubeconfig === b.mergeKubeconfig;
}
