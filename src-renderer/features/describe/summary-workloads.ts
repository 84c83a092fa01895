/**
 * Workloads' summaries as `kubectl describe` leads with them: Deployment (replicas, strategy,
 * selector, images, paused), ReplicaSet/StatefulSet/DaemonSet (replica or node counts, selector,
 * images), Job (completions, parallelism, pod statuses) and CronJob (schedule, last run, suspend).
 */
import type { KubeObject } from '../../api/types';
import { boolText, NONE, selectorText } from './format';
import type { Summary, SummaryRow } from './types';

type Obj = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

/** The images of a pod template, in container order (init containers first), without repeats. */
export function templateImages(template: { spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } } | undefined): string[] {
  const s = template?.spec;
  return [...new Set([...(s?.initContainers ?? []), ...(s?.containers ?? [])].map((c) => c.image ?? '').filter(Boolean))];
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

function imagesRow(o: Obj): SummaryRow {
  const images = templateImages(o.spec?.template);
  return { label: 'Images', value: images.join(', ') || NONE, chips: images, testid: 'images' };
}

function selectorRow(o: Obj): SummaryRow {
  return { label: 'Selector', value: selectorText(o.spec?.selector), mono: true };
}

export function deploymentSummary(d: Obj): Summary {
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  const desired = spec.replicas ?? 1;
  const available = n(st.availableReplicas);
  const unavailable = n(st.unavailableReplicas);
  const strategy = spec.strategy?.type ?? 'RollingUpdate';
  const rows: SummaryRow[] = [
    {
      label: 'Replicas',
      value: `${desired} desired | ${n(st.updatedReplicas)} updated | ${n(st.replicas)} total | ${n(st.readyReplicas)} ready | ${available} available | ${unavailable} unavailable`,
      tone: available >= desired && unavailable === 0 ? 'ok' : 'warn',
      testid: 'replicas',
    },
    { label: 'StrategyType', value: strategy },
  ];
  if (strategy === 'RollingUpdate') {
    const ru = spec.strategy?.rollingUpdate ?? {};
    rows.push({ label: 'RollingUpdateStrategy', value: `${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge` });
  }
  rows.push({ label: 'MinReadySeconds', value: String(spec.minReadySeconds ?? 0) });
  rows.push(selectorRow(d), imagesRow(d));
  rows.push({ label: 'Paused', value: boolText(spec.paused), tone: spec.paused ? 'warn' : undefined });
  return { rows, groups: [] };
}

export function replicaSetSummary(r: Obj): Summary {
  const desired = r.spec?.replicas ?? 1;
  const st = r.status ?? {};
  return {
    rows: [
      { label: 'Replicas', value: `${n(st.replicas)} current / ${desired} desired`, tone: n(st.readyReplicas) >= desired ? 'ok' : 'warn', testid: 'replicas' },
      { label: 'Ready', value: `${n(st.readyReplicas)} ready / ${n(st.availableReplicas)} available` },
      selectorRow(r),
      imagesRow(r),
    ],
    groups: [],
  };
}

export function statefulSetSummary(s: Obj): Summary {
  const desired = s.spec?.replicas ?? 1;
  const st = s.status ?? {};
  return {
    rows: [
      { label: 'Replicas', value: `${desired} desired | ${n(st.replicas)} total | ${n(st.readyReplicas)} ready | ${n(st.updatedReplicas)} updated`, tone: n(st.readyReplicas) >= desired ? 'ok' : 'warn', testid: 'replicas' },
      { label: 'Service Name', value: s.spec?.serviceName ?? NONE, mono: true },
      { label: 'Pod Management Policy', value: s.spec?.podManagementPolicy ?? 'OrderedReady' },
      { label: 'Update Strategy', value: s.spec?.updateStrategy?.type ?? 'RollingUpdate' },
      selectorRow(s),
      imagesRow(s),
    ],
    groups: [],
  };
}

export function daemonSetSummary(d: Obj): Summary {
  const st = d.status ?? {};
  const desired = n(st.desiredNumberScheduled);
  return {
    rows: [
      { label: 'Desired Number of Nodes Scheduled', value: String(desired), testid: 'replicas' },
      { label: 'Current Number of Nodes Scheduled', value: String(n(st.currentNumberScheduled)) },
      { label: 'Number of Nodes Scheduled with Up-to-date Pods', value: String(n(st.updatedNumberScheduled)) },
      { label: 'Number of Nodes Scheduled with Available Pods', value: String(n(st.numberAvailable)), tone: n(st.numberAvailable) >= desired ? 'ok' : 'warn' },
      { label: 'Number of Nodes Misscheduled', value: String(n(st.numberMisscheduled)), tone: n(st.numberMisscheduled) > 0 ? 'bad' : undefined },
      selectorRow(d),
      imagesRow(d),
    ],
    groups: [],
  };
}

export function jobSummary(j: Obj): Summary {
  const spec = j.spec ?? {};
  const st = j.status ?? {};
  const done = (st.conditions ?? []).find((c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  // kubectl describe job's order: Parallelism, Completions, Suspend, Backoff Limit, times, Pods Statuses.
  const rows: SummaryRow[] = [
    { label: 'Status', value: done ? (done.type === 'Complete' ? 'Complete' : 'Failed') : spec.suspend ? 'Suspended' : 'Running', tone: done ? (done.type === 'Complete' ? 'ok' : 'bad') : 'warn' },
    { label: 'Parallelism', value: String(spec.parallelism ?? 1) },
    { label: 'Completions', value: spec.completions === undefined || spec.completions === null ? '<unset>' : String(spec.completions) },
    { label: 'Suspend', value: boolText(spec.suspend), tone: spec.suspend ? 'warn' : undefined },
    { label: 'Backoff Limit', value: String(spec.backoffLimit ?? 6) },
  ];
  if (st.startTime) rows.push({ label: 'Start Time', value: st.startTime });
  if (st.completionTime) rows.push({ label: 'Completed At', value: st.completionTime });
  rows.push(
    {
      label: 'Pods Statuses',
      value: `${n(st.active)} Active (${n(st.ready)} Ready) / ${n(st.succeeded)} Succeeded / ${n(st.failed)} Failed`,
      tone: n(st.failed) > 0 ? 'bad' : undefined,
      testid: 'job-pods',
    },
    imagesRow(j),
  );
  return { rows, groups: [] };
}

export function cronJobSummary(c: Obj): Summary {
  const spec = c.spec ?? {};
  const st = c.status ?? {};
  return {
    rows: [
      { label: 'Schedule', value: spec.schedule ?? '', mono: true, testid: 'schedule' },
      ...(spec.timeZone ? [{ label: 'Time Zone', value: String(spec.timeZone) }] : []),
      { label: 'Concurrency Policy', value: spec.concurrencyPolicy ?? 'Allow' },
      { label: 'Suspend', value: boolText(spec.suspend), tone: spec.suspend ? 'warn' : undefined },
      { label: 'Last Schedule Time', value: st.lastScheduleTime ?? NONE },
      ...(st.lastSuccessfulTime ? [{ label: 'Last Successful Time', value: String(st.lastSuccessfulTime) }] : []),
      { label: 'Active Jobs', value: (st.active ?? []).map((a: { name: string }) => a.name).join(', ') || NONE },
      { label: 'Images', value: templateImages(spec.jobTemplate?.spec?.template).join(', ') || NONE, chips: templateImages(spec.jobTemplate?.spec?.template) },
    ],
    groups: [],
  };
}
