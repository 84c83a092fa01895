/**
 * The Settings form's text fields ⇄ DesktopSettings: empty means "the default" (null), numbers
 * must be whole. Pure, so it is unit-tested.
 */
import type { DesktopSettings, FieldError } from './bridge';

export interface SettingsForm {
  dataDir: string;
  apiPort: string;
  nodes: string;
  mergeKubeconfig: boolean;
}

export function toForm(s: DesktopSettings): SettingsForm {
  return { dataDir: s.dataDir ?? '', apiPort: s.apiPort === null ? '' : String(s.apiPort), nodes: String(s.nodes), mergeKubeconfig: s.mergeKubeconfig };
}

function wholeNumber(field: string, raw: string, min: number, max: number, errors: FieldError[]): number | undefined {
  const t = raw.trim();
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) {
    errors.push({ field, message: `a whole number from ${min} to ${max}` });
    return undefined;
  }
  return Number(t);
}

/** The settings to send, or the fields that are not numbers (the main process checks the rest). */
export function fromForm(f: SettingsForm): { settings?: DesktopSettings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const apiPort = f.apiPort.trim() === '' ? null : wholeNumber('apiPort', f.apiPort, 0, 65535, errors);
  const nodes = wholeNumber('nodes', f.nodes, 0, 1000, errors);
  if (errors.length || apiPort === undefined || nodes === undefined) return { errors };
  return { settings: { dataDir: f.dataDir.trim() === '' ? null : f.dataDir.trim(), apiPort, nodes, mergeKubeconfig: f.mergeKubeconfig }, errors };
}

export function sameSettings(a: DesktopSettings, b: DesktopSettings): boolean {
  return a.dataDir === b.dataDir && a.apiPort === b.apiPort && a.nodes === b.nodes && a.mergeKubeconfig === b.mergeKubeconfig;
}
