/**
 * Texts as `kubectl describe` / `kubectl get` print them: a container's state, a Service's
 * PORT(S), a selector, access modes, requests/limits, "<none>".
 */
import { statusTone, type Tone } from '../../util/status';

export const NONE = '<none>';

export interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
}

/** `Running`, `Waiting (ContainerCreating)`, `Terminated (Error, exit code 1)`. */
export function containerStateText(state: ContainerState | undefined): { text: string; tone: Tone } {
  if (!state) return { text: 'Waiting', tone: 'warn' };
  if (state.running) return { text: 'Running', tone: 'ok' };
  if (state.terminated) {
    const t = state.terminated;
    const bits = [t.reason, t.exitCode !== undefined ? `exit code ${t.exitCode}` : undefined, t.signal ? `signal ${t.signal}` : undefined].filter(Boolean);
    const tone: Tone = t.exitCode === 0 ? 'muted' : 'bad';
    return { text: bits.length ? `Terminated (${bits.join(', ')})` : 'Terminated', tone };
  }
  if (state.waiting) {
    const r = state.waiting.reason;
    return { text: r ? `Waiting (${r})` : 'Waiting', tone: r ? (statusTone(r) === 'bad' ? 'bad' : 'warn') : 'warn' };
  }
  return { text: 'Waiting', tone: 'warn' };
}

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

/** `kubectl get svc`'s PORT(S): `80/TCP`, `80:30080/TCP,443:30443/TCP`; `<none>` without ports. */
export function servicePortsText(ports: readonly ServicePort[] | undefined): string {
  if (!ports?.length) return NONE;
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** A label map as a selector: `app=web,tier=db`; `<none>` when empty. */
export function labelsText(labels: Record<string, string> | undefined): string {
  const e = Object.entries(labels ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(',') : NONE;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A LabelSelector as kubectl prints it: `app=web,tier in (a,b),!gone`. */
export function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return NONE;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : NONE;
}

const MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** `RWO,RWX` as kubectl prints access modes. */
export function accessModesText(modes: readonly string[] | undefined): string {
  return modes?.length ? modes.map((m) => MODES[m] ?? m).join(',') : '';
}

/** `cpu: 100m, memory: 128Mi`; `<none>` when empty. */
export function resourceListText(list: Record<string, string | number> | undefined): string {
  const e = Object.entries(list ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return e.length ? e.map(([k, v]) => `${k}: ${v}`).join(', ') : NONE;
}

/** `true`/`false` as kubectl prints booleans. */
export function boolText(b: boolean | undefined): string {
  return b ? 'true' : 'false';
}

/** The byte length of a string value as UTF-8 (ConfigMap data) or of a base64 value (Secret data). */
export function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

export function base64Bytes(b64: string): number {
  const s = b64.replace(/\s/g, '');
  if (!s) return 0;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}
