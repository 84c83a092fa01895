/**
 * Small helpers for the seed workload tests (seed000, seed00N-workloads, workloads-misc): bounded
 * polling instead of fixed sleeps, JSON reads, and the shapes kubectl prints for pods.
 */
import type { Serve } from './harness';
import { table } from './harness';

/** Polls `check` every 250 ms until it returns a truthy value (returned), or fails after `timeoutMs` saying what it last saw. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 30_000, seen?: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen:\n${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function getJson(s: Serve, args: string[], bin?: string): Json {
  return JSON.parse(s.ok(['get', ...args, '-o', 'json'], { bin }));
}

/** `kubia-9d785b578-p449x`: the ReplicaSet's name, then 5 characters from the name generator's alphabet. */
export const POD_SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';
/** A pod-template-hash as the deployment controller writes it (safe-encoded FNV hash). */
export const TEMPLATE_HASH = '[bcdfghjklmnpqrstvwxz2456789]{6,10}';

/** An AGE cell: `0s`, `12s`, `2m3s`, `5m`. */
export const AGE = /^(\d+s|\d+m(\d+s)?|\d+h(\d+m)?)$/;

export const WORKERS = ['kubesim-worker', 'kubesim-worker2'];

/** The rows of `kubectl get` (header first), via table(). */
export function rows(s: Serve, args: string[], bin?: string): string[][] {
  return table(s.ok(['get', ...args], { bin }));
}

/** True when the IP lies in the node's spec.podCIDR (a /24 such as 10.244.1.0/24). */
export function inPodCidr(ip: string, cidr: string): boolean {
  const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
  return !!m && ip.startsWith(`${m[1]}.`) && Number(ip.split('.')[3]) > 0 && Number(ip.split('.')[3]) < 255;
}

/** The Events table of `kubectl describe` as rows of [Type, Reason, Age, From, Message]. */
export function describeEvents(out: string): string[][] {
  const i = out.indexOf('\nEvents:');
  if (i < 0) throw new Error(`no Events section in:\n${out}`);
  const lines = out.slice(i + 1).trimEnd().split('\n');
  if (/^Events:\s+<none>$/.test(lines[0])) return [];
  return lines.slice(3).map((l) => l.trim().split(/\s{2,}/));
}

/** Waits until the namespace's `pods` pods are all Running and Service `svc` has a ready endpoint in the pod network. */
export async function podsRunningWithEndpoint(s: Serve, pods: number, svc: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`${pods} pods Running and service ${svc} with an endpoint`, () => {
    const phases = s.kubectl(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}']).stdout.trim().split('\n');
    const ep = s.kubectl(['get', 'endpoints', svc, '-o', 'jsonpath={.subsets[0].addresses[0].ip}']).stdout;
    return phases.length === pods && phases.every((p) => p === 'Running') && /^10\.244\./.test(ep);
  }, timeoutMs);
}
