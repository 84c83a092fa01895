/**
 * Job status helpers: conditions (ensureJobConditionStatus, the interim SuccessCriteriaMet /
 * FailureTarget and final Complete / Failed), the uncounted-pods bookkeeping, and the status as
 * upstream serializes it (zero `active`/`succeeded`/`failed` omitted, `ready`/`terminating` kept).
 */
import { rfc3339, type Job, type JobCondition, type JobStatus } from './types';

export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES = 'MaxFailedIndexesExceeded';
export const MESSAGE_MAX_FAILED_INDEXES = 'Job has exceeded the specified maximal number of failed indexes';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const MESSAGE_FAILED_INDEXES = 'Job has failed indexes';

export function newCondition(type: string, status: JobCondition['status'], reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  const c: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: t };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * Sets a condition (appending it, or replacing it when status/reason/message differ); a False
 * condition is never added from nothing. Returns whether the list changed.
 */
export function ensureCondition(status: JobStatus, type: string, st: JobCondition['status'], reason: string, message: string, now: number): boolean {
  const list = status.conditions ?? [];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status !== st || (c.reason ?? '') !== reason || (c.message ?? '') !== message) {
      list[i] = newCondition(type, st, reason, message, now);
      status.conditions = list;
      return true;
    }
    return false;
  }
  if (st === 'False') return false;
  status.conditions = [...list, newCondition(type, st, reason, message, now)];
  return true;
}

export function trueCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/**
 * Moves the uncounted UIDs whose pods no longer carry the finalizer into the counters.
 * Returns whether anything changed.
 */
export function cleanUncounted(status: JobStatus, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((x) => uidsWithFinalizer.has(x));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((x) => uidsWithFinalizer.has(x));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

/** JobStatus field order (what `-o json` shows). */
const STATUS_ORDER = ['conditions', 'startTime', 'completionTime', 'active', 'succeeded', 'failed', 'terminating', 'completedIndexes', 'failedIndexes', 'uncountedTerminatedPods', 'ready'] as const;

/** The status as the API shows it after a Go client writes it (omitempty fields dropped, Go field order). */
export function serializeStatus(status: JobStatus): JobStatus {
  const s: JobStatus = {};
  const src = status as Record<string, unknown>;
  const dst = s as Record<string, unknown>;
  for (const k of STATUS_ORDER) if (src[k] !== undefined) dst[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in dst) && src[k] !== undefined) dst[k] = src[k];
  for (const f of ['active', 'succeeded', 'failed'] as const) if (!s[f]) delete s[f];
  if (!s.completedIndexes) delete s.completedIndexes;
  if (s.conditions && s.conditions.length === 0) delete s.conditions;
  const u = s.uncountedTerminatedPods;
  if (u) {
    const out: { succeeded?: string[]; failed?: string[] } = {};
    if (u.succeeded?.length) out.succeeded = [...u.succeeded];
    if (u.failed?.length) out.failed = [...u.failed];
    s.uncountedTerminatedPods = out;
  }
  return s;
}
