/**
 * Liveness/readiness probes as the wizard edits them (HTTP GET, TCP socket or exec, with an
 * initial delay and a period) → the container's probe object, and the form's field errors.
 */
import { portRef, portRefError, splitWords, wholeNumberError } from './validation';

export type ProbeKind = 'none' | 'http' | 'tcp' | 'exec';

export interface ProbeForm {
  kind: ProbeKind;
  /** HTTP only. */
  path: string;
  /** HTTP and TCP: a number or a named container port. */
  port: string;
  /** Exec only: a command line (split into words like a shell). */
  command: string;
  initialDelaySeconds: string;
  periodSeconds: string;
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
}

export function emptyProbe(): ProbeForm {
  return { kind: 'none', path: '/', port: '', command: '', initialDelaySeconds: '', periodSeconds: '' };
}

/** The probe object, or undefined for `none`. `defaultPort`: the container's first port. */
export function buildProbe(p: ProbeForm, defaultPort?: number): Probe | undefined {
  if (p.kind === 'none') return undefined;
  const port = p.port.trim() ? portRef(p.port) : defaultPort ?? '';
  const out: Probe = {};
  if (p.kind === 'http') out.httpGet = { path: p.path.trim() || '/', port };
  else if (p.kind === 'tcp') out.tcpSocket = { port };
  else out.exec = { command: splitWords(p.command) };
  if (p.initialDelaySeconds.trim()) out.initialDelaySeconds = Number(p.initialDelaySeconds.trim());
  if (p.periodSeconds.trim()) out.periodSeconds = Number(p.periodSeconds.trim());
  return out;
}

/** Field errors keyed `<prefix>.port`, `<prefix>.path`, … (empty when valid). */
export function probeErrors(p: ProbeForm, prefix: string, hasDefaultPort: boolean): Record<string, string> {
  const errs: Record<string, string> = {};
  if (p.kind === 'none') return errs;
  const set = (f: string, e: string | undefined) => {
    if (e) errs[`${prefix}.${f}`] = e;
  };
  if (p.kind === 'http' || p.kind === 'tcp') {
    if (p.port.trim() || !hasDefaultPort) set('port', portRefError(p.port));
  }
  if (p.kind === 'http' && p.path.trim() && !p.path.trim().startsWith('/')) set('path', "must start with '/'");
  if (p.kind === 'exec' && splitWords(p.command).length === 0) set('command', 'Required value');
  set('initialDelaySeconds', wholeNumberError(p.initialDelaySeconds, 0, true));
  set('periodSeconds', wholeNumberError(p.periodSeconds, 1, true));
  return errs;
}
