/**
 * A Job pod from the Job's template: the tracking finalizer added and, for Indexed Jobs, the
 * `batch.kubernetes.io/job-completion-index` annotation and label, hostname `<job>-<index>`
 * and the JOB_COMPLETION_INDEX variable in every container; names `<job>-` or `<job>-<index>-`
 * plus the server's 5 random characters.
 */
import { INDEX_FAILURE_COUNT_ANNOTATION, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION } from './per-index';
import { UNKNOWN_INDEX } from './pods';
import { COMPLETION_INDEX_ANNOTATION, COMPLETION_INDEX_ENV, COMPLETION_INDEX_LABEL, JOB_TRACKING_FINALIZER, type Job } from './types';

type Template = NonNullable<Job['spec']['template']>;
type Container = { env?: { name: string; value?: string; valueFrom?: unknown }[] };

const DNS1123_LABEL_MAX = 63;
const RANDOM_LENGTH = 5;

function addIndexEnv(containers: unknown): void {
  if (!Array.isArray(containers)) return;
  for (const c of containers as Container[]) {
    const env = c.env ?? [];
    if (env.some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
    // With the pod-index label (PodIndexLabel, on since 1.28) the variable reads the label.
    env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX_LABEL}']` } } });
    c.env = env;
  }
}

/** The pod template for one pod; `failureCounts` (backoffLimitPerIndex) are written as annotations. */
export function preparePodTemplate(job: Job, index: number, failureCounts?: { failures: number; ignored: number }): Template {
  const t = structuredClone(job.spec.template ?? {}) as Template;
  const meta = (t.metadata ??= {});
  const finalizers = meta.finalizers ?? [];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  meta.finalizers = finalizers;
  if (index !== UNKNOWN_INDEX) {
    const spec = (t.spec ??= {});
    addIndexEnv(spec.initContainers);
    addIndexEnv(spec.containers);
    meta.annotations = { ...(meta.annotations ?? {}), [COMPLETION_INDEX_ANNOTATION]: String(index) };
    meta.labels = { ...(meta.labels ?? {}), [COMPLETION_INDEX_LABEL]: String(index) };
    spec.hostname = `${job.metadata.name}-${index}`;
    if (failureCounts) {
      meta.annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(failureCounts.failures);
      if (failureCounts.ignored > 0) meta.annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(failureCounts.ignored);
    }
  }
  return t;
}

/** `<job>-` (the server truncates long bases) or `<job>-<index>-`, cut so the name stays a DNS label. */
export function podGenerateName(jobName: string, index: number): string {
  if (index === UNKNOWN_INDEX) return `${jobName}-`;
  const suffix = `-${index}-`;
  const max = DNS1123_LABEL_MAX - RANDOM_LENGTH;
  const prefix = jobName + suffix;
  return prefix.length > max ? jobName.slice(0, max - suffix.length) + suffix : prefix;
}
