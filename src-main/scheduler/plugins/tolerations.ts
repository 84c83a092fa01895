/** v1helper.TolerationsTolerateTaint: does one of the pod's tolerations tolerate the taint? */
import { asArray, asObject } from '../../api/types';
import type { Taint } from '../node-info';

export function toleratesTaint(tolerations: unknown, taint: Taint): boolean {
  for (const t of asArray(tolerations)) {
    const tol = asObject(t);
    const effect = typeof tol.effect === 'string' ? tol.effect : '';
    if (effect !== '' && effect !== taint.effect) continue;
    const key = typeof tol.key === 'string' ? tol.key : '';
    const op = typeof tol.operator === 'string' && tol.operator ? tol.operator : 'Equal';
    // An empty key with Exists matches every taint.
    if (key === '' && op === 'Exists') return true;
    if (key !== taint.key) continue;
    if (op === 'Exists') return true;
    if (op === 'Equal' && (typeof tol.value === 'string' ? tol.value : '') === (taint.value ?? '')) return true;
  }
  return false;
}

/** The taint as FitError prints it: `{key: value}`. */
export function formatTaint(t: Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`;
}
