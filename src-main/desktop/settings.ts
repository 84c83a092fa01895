/**
 * The desktop app's settings file (`<userData>/settings.json`): defaults, load with validation
 * (a bad field falls back to its default and is reported, never a crash), the checks the
 * Settings page's values must pass, and an atomic save. Pure apart from the file read/write.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { MAX_WORKER_NODES } from '../cli/args';
import { desktopSettingsFields, kubeconfigBackup, type DesktopSettings, type FieldError, type KubeconfigBackup } from '../shared/ipc';
import { IpcValidationError, nullable, type Check } from '../shared/validate';

export const SETTINGS_FILE = 'settings.json';
export const SETTINGS_VERSION = 1;
export const DEFAULT_NODES = 2;
/** Real time: the cluster clock runs as fast as the wall clock. */
export const DEFAULT_TIME_SCALE = 1;

/** What settings.json holds: the user's settings and the app's record of the kubeconfig backup. */
export interface StoredSettings extends DesktopSettings {
  kubeconfigBackup: KubeconfigBackup | null;
}

export function defaultSettings(): StoredSettings {
  return { dataDir: null, apiPort: null, nodes: DEFAULT_NODES, timeScale: DEFAULT_TIME_SCALE, mergeKubeconfig: true, kubeconfigBackup: null };
}

/** Checks beyond the types (ranges, absolute paths); [] when the settings can be used. */
export function validateSettings(s: DesktopSettings): FieldError[] {
  const errors: FieldError[] = [];
  if (s.dataDir !== null) {
    if (s.dataDir.trim() === '') errors.push({ field: 'dataDir', message: 'the data folder cannot be empty (clear it to use the default)' });
    else if (!isAbsolute(s.dataDir)) errors.push({ field: 'dataDir', message: `the data folder must be an absolute path, not '${s.dataDir}'` });
    else if (s.dataDir.includes('\0')) errors.push({ field: 'dataDir', message: 'the data folder contains a NUL character' });
  }
  if (s.apiPort !== null && s.apiPort !== 0 && s.apiPort < 1024) {
    errors.push({ field: 'apiPort', message: `port ${s.apiPort} needs administrator rights; use 1024–65535, or 0 for a free port` });
  }
  if (s.nodes > MAX_WORKER_NODES) errors.push({ field: 'nodes', message: `at most ${MAX_WORKER_NODES} worker nodes, not ${s.nodes}` });
  return errors;
}

export interface LoadedSettings {
  settings: StoredSettings;
  /** What was wrong with the file, for the Settings page; the defaults were used for those fields. */
  problems: string[];
}

/**
 * Reads settings.json's text (undefined: no file yet). A file without `version` (written by hand)
 * is read as version 1; one from a newer kubesim is not guessed at: defaults, and a problem.
 */
export function parseSettings(text: string | undefined): LoadedSettings {
  const settings = defaultSettings();
  if (text === undefined || text.trim() === '') return { settings, problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { settings, problems: [`${SETTINGS_FILE} is not valid JSON (${(e as Error).message}); using the defaults`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings, problems: [`${SETTINGS_FILE} is not a JSON object; using the defaults`] };
  }
  const rec = raw as Record<string, unknown>;
  const version = rec.version ?? SETTINGS_VERSION;
  if (version !== SETTINGS_VERSION) {
    return { settings, problems: [`${SETTINGS_FILE} has version ${JSON.stringify(version)}, this kubesim reads version ${SETTINGS_VERSION}; using the defaults`] };
  }
  const problems: string[] = [];
  const shape: Record<string, Check<unknown>> = { ...desktopSettingsFields, kubeconfigBackup: nullable(kubeconfigBackup) };
  for (const key of Object.keys(rec)) {
    if (key !== 'version' && !Object.hasOwn(shape, key)) problems.push(`${SETTINGS_FILE}: unknown field '${key}' ignored`);
  }
  const out = settings as unknown as Record<string, unknown>;
  for (const [key, check] of Object.entries(shape)) {
    if (!Object.hasOwn(rec, key)) continue;
    try {
      out[key] = check(rec[key], key);
    } catch (e) {
      if (!(e instanceof IpcValidationError)) throw e;
      problems.push(`${SETTINGS_FILE}: ${e.message}; using the default`);
    }
  }
  for (const err of validateSettings(settings)) {
    problems.push(`${SETTINGS_FILE}: ${err.field}: ${err.message}; using the default`);
    out[err.field] = (defaultSettings() as unknown as Record<string, unknown>)[err.field];
  }
  return { settings, problems };
}

export function serializeSettings(s: StoredSettings): string {
  const { dataDir, apiPort, nodes, timeScale, mergeKubeconfig, kubeconfigBackup: backup } = s;
  return `${JSON.stringify({ version: SETTINGS_VERSION, dataDir, apiPort, nodes, timeScale, mergeKubeconfig, kubeconfigBackup: backup }, null, 2)}\n`;
}

export function loadSettings(file: string): LoadedSettings {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { settings: defaultSettings(), problems: [`cannot read ${file}: ${(e as Error).message}; using the defaults`] };
  }
  return parseSettings(text);
}

/** Writes through a temp file and a rename, so a crash never leaves half a file. */
export function saveSettings(file: string, s: StoredSettings): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeSettings(s), { mode: 0o600 });
  renameSync(tmp, file);
}

/** Whether two settings start the same cluster (the fields serve's flags come from). */
export function sameClusterSettings(a: DesktopSettings, b: DesktopSettings): boolean {
  return a.dataDir === b.dataDir && a.apiPort === b.apiPort && a.nodes === b.nodes && a.timeScale === b.timeScale;
}
