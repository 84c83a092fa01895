/**
 * autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscaler, stored as v2. v2 gets
 * SetDefaults_HorizontalPodAutoscaler (minReplicas 1, cpu 80% when there are no metrics, behavior
 * defaults when behavior is set); v1 converts targetCPUUtilizationPercentage ⇄ a cpu Utilization
 * resource metric and keeps the other metrics, current metrics, conditions and behavior in the
 * `autoscaling.alpha.kubernetes.io/*` annotations, as pkg/apis/autoscaling/v1 conversion does.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { nameIsPathSegment } from '../core/validation/names';
import { ageColumn, col, int, nameColumn, nameOf } from '../apps/util/printing';
import { positive } from '../apps/util/validation';

type Obj = Record<string, unknown>;

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];
export const DEFAULT_CPU_UTILIZATION = 80;

const unset = (v: unknown) => v === undefined || v === null;

function scaleUpDefaults(): Obj {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function scaleDownDefaults(): Obj {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

function mergeRules(from: unknown, to: Obj): Obj {
  if (!isObject(from)) return to;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (!unset(from[k])) to[k] = from[k];
  return to;
}

export function cpuUtilizationMetric(pct: number): Obj {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } };
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function defaultHPAv2(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (unset(spec.minReplicas)) spec.minReplicas = 1;
  if (asArray(spec.metrics).length === 0) spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  if (isObject(spec.behavior)) {
    spec.behavior.scaleUp = mergeRules(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = mergeRules(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

// --- validation (autoscaling/validation, on the v2 shape) -----------------------------------

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

function validateTarget(t: unknown, path: string): FieldError[] {
  const target = asObject(t);
  const errs: FieldError[] = [];
  const type = target.type;
  if (unset(type) || type === '') errs.push(fe.required(`${path}.type`, 'must specify a metric target type'));
  else if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') errs.push(fe.invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) errs.push(fe.invalid(`${path}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetric(m: unknown, path: string): FieldError[] {
  const metric = asObject(m);
  const type = metric.type;
  if (unset(type) || type === '') return [fe.required(`${path}.type`, 'must specify a metric source type')];
  if (!METRIC_TYPES.includes(String(type))) return [fe.notSupported(`${path}.type`, type, METRIC_TYPES)];
  const key = String(type).charAt(0).toLowerCase() + String(type).slice(1);
  const src = metric[key];
  if (!isObject(src)) return [fe.required(`${path}.${key}`, 'must populate information for the given metric source')];
  const errs: FieldError[] = [];
  const sp = `${path}.${key}`;
  if (type === 'Resource' || type === 'ContainerResource') {
    if (!src.name) errs.push(fe.required(`${sp}.name`, 'must specify a resource name'));
    if (type === 'ContainerResource' && !src.container) errs.push(fe.required(`${sp}.container`, 'must specify a container'));
    const target = asObject(src.target);
    if (target.type === 'Value') errs.push(fe.invalid(`${sp}.target.type`, target.type, 'must be either Utilization or AverageValue'));
  } else {
    if (!isObject(src.metric) || !src.metric.name) errs.push(fe.required(`${sp}.metric.name`, 'must specify a metric name'));
    if (type === 'Object') {
      const ref = asObject(src.describedObject);
      if (!ref.kind) errs.push(fe.required(`${sp}.describedObject.kind`, ''));
      if (!ref.name) errs.push(fe.required(`${sp}.describedObject.name`, ''));
    }
  }
  errs.push(...validateTarget(src.target, `${sp}.target`));
  return errs;
}

export function validateHPASpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) errs.push(fe.invalid(`${path}.minReplicas`, spec.minReplicas, 'must be greater than or equal to 1'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) errs.push(fe.invalid(`${path}.maxReplicas`, spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && typeof spec.maxReplicas === 'number' && spec.maxReplicas < spec.minReplicas) {
    errs.push(fe.invalid(`${path}.maxReplicas`, spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  const ref = asObject(spec.scaleTargetRef);
  const rp = `${path}.scaleTargetRef`;
  if (!ref.kind) errs.push(fe.required(`${rp}.kind`, ''));
  else for (const m of nameIsPathSegment(String(ref.kind), false)) errs.push(fe.invalid(`${rp}.kind`, ref.kind, m));
  if (!ref.name) errs.push(fe.required(`${rp}.name`, ''));
  else for (const m of nameIsPathSegment(String(ref.name), false)) errs.push(fe.invalid(`${rp}.name`, ref.name, m));
  asArray(spec.metrics).forEach((m, i) => errs.push(...validateMetric(m, `${path}.metrics[${i}]`)));
  if (isObject(spec.behavior)) {
    for (const dir of ['scaleUp', 'scaleDown']) {
      const rules = asObject(spec.behavior[dir]);
      const bp = `${path}.behavior.${dir}`;
      const w = rules.stabilizationWindowSeconds;
      if (typeof w === 'number' && (w < 0 || w > 3600)) errs.push(fe.invalid(`${bp}.stabilizationWindowSeconds`, w, w < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
      const sp = rules.selectPolicy;
      if (!unset(sp) && !['Max', 'Min', 'Disabled'].includes(String(sp))) errs.push(fe.notSupported(`${bp}.selectPolicy`, sp, ['Disabled', 'Max', 'Min']));
      asArray(rules.policies).forEach((p, i) => {
        const pol = asObject(p);
        const pp = `${bp}.policies[${i}]`;
        if (pol.type !== 'Pods' && pol.type !== 'Percent') errs.push(fe.notSupported(`${pp}.type`, pol.type ?? '', ['Percent', 'Pods']));
        errs.push(...positive(pol.value, `${pp}.value`));
        if (typeof pol.periodSeconds === 'number' && (pol.periodSeconds <= 0 || pol.periodSeconds > 1800)) {
          errs.push(fe.invalid(`${pp}.periodSeconds`, pol.periodSeconds, pol.periodSeconds <= 0 ? 'must be greater than zero' : 'must be less than or equal to 1800'));
        }
      });
    }
  }
  return errs;
}

export function validateHPAv2(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateHPASpec(obj.spec));
  return errs;
}

// --- printing -----------------------------------------------------------------------------

function quantityText(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '0';
}

/** formatHPAMetrics on the v2 shape. */
export function formatHPAMetrics(specsIn: unknown, statusesIn: unknown): string {
  const specs = asArray(specsIn).map(asObject);
  const statuses = asArray(statusesIn).map(asObject);
  if (specs.length === 0) return '<none>';
  const list: string[] = specs.map((spec, i) => {
    const st = statuses[i];
    const stOf = (k: string) => (st && isObject(st[k]) ? asObject(st[k]) : undefined);
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object';
        const target = asObject(asObject(spec[key]).target);
        const cur = stOf(key);
        const current = asObject(cur?.current);
        if (!unset(target.averageValue)) {
          const c = cur && !unset(current.averageValue) ? quantityText(current.averageValue) : '<unknown>';
          return `${c}/${quantityText(target.averageValue)} (avg)`;
        }
        const c = cur ? quantityText(current.value) : '<unknown>';
        return `${c}/${quantityText(target.value)}`;
      }
      case 'Pods': {
        const target = asObject(asObject(spec.pods).target);
        const cur = stOf('pods');
        const c = cur ? quantityText(asObject(cur.current).averageValue) : '<unknown>';
        return `${c}/${quantityText(target.averageValue)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
        const src = asObject(spec[key]);
        const name = typeof src.name === 'string' ? src.name : '';
        const target = asObject(src.target);
        const cur = stOf(key);
        const current = asObject(cur?.current);
        if (!unset(target.averageValue)) {
          const c = cur ? quantityText(current.averageValue) : '<unknown>';
          return `${name}: ${c}/${quantityText(target.averageValue)}`;
        }
        const c = cur && typeof current.averageUtilization === 'number' ? `${current.averageUtilization}%` : '<unknown>';
        const t = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
        return `${name}: ${c}/${t}`;
      }
      default:
        return '<unknown type>';
    }
  });
  if (list.length > 2) return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
  return list.join(', ');
}

export const HPA_COLUMNS = [
  nameColumn(),
  col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
  col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.'),
  col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.'),
  col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
  col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
  ageColumn(),
];

/** The HPA printer's cells for a v2-shaped object. */
export function hpaRow(obj: KubeObject, now: number): (string | number)[] {
  const spec = asObject(obj.spec);
  const st = asObject(obj.status);
  const ref = asObject(spec.scaleTargetRef);
  return [
    nameOf(obj),
    `${typeof ref.kind === 'string' ? ref.kind : ''}/${typeof ref.name === 'string' ? ref.name : ''}`,
    formatHPAMetrics(spec.metrics, st.currentMetrics),
    typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>',
    int(spec.maxReplicas),
    int(st.currentReplicas),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ];
}

// --- autoscaling/v1 ⇄ v2 ------------------------------------------------------------------

const isCpuUtilization = (m: Obj) => m.type === 'Resource' && asObject(m.resource).name === 'cpu' && typeof asObject(asObject(m.resource).target).averageUtilization === 'number';

/** v2 MetricSpec → the v1 (v2beta1-shaped) MetricSpec kept in the annotation. */
function metricSpecToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const tgt = (src: Obj) => asObject(src.target);
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = asObject(m[key]);
      const r: Obj = { name: src.name };
      if (m.type === 'ContainerResource') r.container = src.container;
      const t = tgt(src);
      if (!unset(t.averageUtilization)) r.targetAverageUtilization = t.averageUtilization;
      if (!unset(t.averageValue)) r.targetAverageValue = t.averageValue;
      out[key] = r;
      break;
    }
    case 'Pods': {
      const src = asObject(m.pods);
      const p: Obj = { metricName: asObject(src.metric).name, targetAverageValue: tgt(src).averageValue };
      if (!unset(asObject(src.metric).selector)) p.selector = asObject(src.metric).selector;
      out.pods = p;
      break;
    }
    case 'Object': {
      const src = asObject(m.object);
      const o: Obj = { target: src.describedObject, metricName: asObject(src.metric).name, targetValue: tgt(src).value };
      if (!unset(asObject(src.metric).selector)) o.selector = asObject(src.metric).selector;
      if (!unset(tgt(src).averageValue)) o.averageValue = tgt(src).averageValue;
      out.object = o;
      break;
    }
    case 'External': {
      const src = asObject(m.external);
      const e: Obj = { metricName: asObject(src.metric).name };
      if (!unset(asObject(src.metric).selector)) e.metricSelector = asObject(src.metric).selector;
      if (!unset(tgt(src).value)) e.targetValue = tgt(src).value;
      if (!unset(tgt(src).averageValue)) e.targetAverageValue = tgt(src).averageValue;
      out.external = e;
      break;
    }
  }
  return out;
}

function metricSpecFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const target = (fields: Obj): Obj => {
    const t: Obj = {};
    if (!unset(fields.averageUtilization)) {
      t.type = 'Utilization';
      t.averageUtilization = fields.averageUtilization;
    } else if (!unset(fields.averageValue)) {
      t.type = 'AverageValue';
      t.averageValue = fields.averageValue;
    } else if (!unset(fields.value)) {
      t.type = 'Value';
      t.value = fields.value;
    }
    return t;
  };
  const metric = (name: unknown, selector: unknown): Obj => (unset(selector) ? { name } : { name, selector });
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = asObject(m[key]);
      const r: Obj = { name: src.name };
      if (m.type === 'ContainerResource') r.container = src.container;
      r.target = target({ averageUtilization: src.targetAverageUtilization, averageValue: src.targetAverageValue });
      out[key] = r;
      break;
    }
    case 'Pods': {
      const src = asObject(m.pods);
      out.pods = { metric: metric(src.metricName, src.selector), target: target({ averageValue: src.targetAverageValue }) };
      break;
    }
    case 'Object': {
      const src = asObject(m.object);
      out.object = { describedObject: src.target, metric: metric(src.metricName, src.selector), target: target({ averageValue: src.averageValue, value: src.targetValue }) };
      break;
    }
    case 'External': {
      const src = asObject(m.external);
      out.external = { metric: metric(src.metricName, src.metricSelector), target: target({ averageValue: src.targetAverageValue, value: src.targetValue }) };
      break;
    }
  }
  return out;
}

function metricStatusToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  const cur = (src: Obj) => asObject(src.current);
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = asObject(m[key]);
      const r: Obj = { name: src.name, currentAverageValue: cur(src).averageValue ?? '0' };
      if (m.type === 'ContainerResource') r.container = src.container;
      if (!unset(cur(src).averageUtilization)) r.currentAverageUtilization = cur(src).averageUtilization;
      out[key] = r;
      break;
    }
    case 'Pods': {
      const src = asObject(m.pods);
      out.pods = { metricName: asObject(src.metric).name, currentAverageValue: cur(src).averageValue ?? '0' };
      break;
    }
    case 'Object': {
      const src = asObject(m.object);
      out.object = { target: src.describedObject, metricName: asObject(src.metric).name, currentValue: cur(src).value ?? '0', averageValue: cur(src).averageValue };
      break;
    }
    case 'External': {
      const src = asObject(m.external);
      out.external = { metricName: asObject(src.metric).name, currentValue: cur(src).value ?? '0', currentAverageValue: cur(src).averageValue };
      break;
    }
  }
  return out;
}

function metricStatusFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const src = asObject(m[key]);
      const current: Obj = { averageValue: src.currentAverageValue };
      if (!unset(src.currentAverageUtilization)) current.averageUtilization = src.currentAverageUtilization;
      const r: Obj = { name: src.name, current };
      if (m.type === 'ContainerResource') r.container = src.container;
      out[key] = r;
      break;
    }
    case 'Pods': {
      const src = asObject(m.pods);
      out.pods = { metric: { name: src.metricName }, current: { averageValue: src.currentAverageValue } };
      break;
    }
    case 'Object': {
      const src = asObject(m.object);
      out.object = { describedObject: src.target, metric: { name: src.metricName }, current: { value: src.currentValue, averageValue: src.averageValue } };
      break;
    }
    case 'External': {
      const src = asObject(m.external);
      out.external = { metric: { name: src.metricName }, current: { value: src.currentValue, averageValue: src.currentAverageValue } };
      break;
    }
  }
  return out;
}

function parseAnnotation(v: string | undefined): Obj[] | Obj | undefined {
  if (!v) return undefined;
  try {
    return JSON.parse(v) as Obj[] | Obj;
  } catch {
    return undefined;
  }
}

/** Stored autoscaling/v2 → served autoscaling/v1. */
export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const spec = asObject(v2.spec);
  const status = asObject(v2.status);
  const annotations: Record<string, string> = { ...(v2.metadata.annotations ?? {}) };
  for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];
  const metrics = asArray(spec.metrics).map(asObject);
  const v1spec: Obj = {};
  if (!unset(spec.scaleTargetRef)) v1spec.scaleTargetRef = spec.scaleTargetRef;
  if (!unset(spec.minReplicas)) v1spec.minReplicas = spec.minReplicas;
  v1spec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find(isCpuUtilization);
  if (cpu) v1spec.targetCPUUtilizationPercentage = asObject(asObject(cpu.resource).target).averageUtilization;
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (others.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others);
  const current = asArray(status.currentMetrics).map(asObject);
  if (current.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(current.map(metricStatusToV1));
  if (isObject(spec.behavior)) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  const conditions = asArray(status.conditions);
  if (conditions.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);

  const v1status: Obj = {};
  if (!unset(status.observedGeneration)) v1status.observedGeneration = status.observedGeneration;
  if (!unset(status.lastScaleTime)) v1status.lastScaleTime = status.lastScaleTime;
  v1status.currentReplicas = status.currentReplicas ?? 0;
  v1status.desiredReplicas = status.desiredReplicas ?? 0;
  const cpuStatus = current.find((m) => m.type === 'Resource' && asObject(m.resource).name === 'cpu');
  const util = asObject(asObject(cpuStatus?.resource).current).averageUtilization;
  if (typeof util === 'number') v1status.currentCPUUtilizationPercentage = util;

  const metadata = { ...v2.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1spec };
  if (v2.status !== undefined) out.status = v1status;
  return out;
}

/** Served autoscaling/v1 → stored autoscaling/v2 (with the v2 defaults a decode would apply). */
export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const spec = asObject(v1.spec);
  const status = asObject(v1.status);
  const annotations: Record<string, string> = { ...(v1.metadata.annotations ?? {}) };
  const metrics: Obj[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') metrics.push(cpuUtilizationMetric(spec.targetCPUUtilizationPercentage));
  const other = parseAnnotation(annotations[METRIC_SPECS_ANNOTATION]);
  if (Array.isArray(other)) metrics.push(...other.map((m) => metricSpecFromV1(asObject(m))));
  const v2spec: Obj = {};
  if (!unset(spec.scaleTargetRef)) v2spec.scaleTargetRef = spec.scaleTargetRef;
  if (!unset(spec.minReplicas)) v2spec.minReplicas = spec.minReplicas;
  v2spec.maxReplicas = spec.maxReplicas ?? 0;
  if (metrics.length) v2spec.metrics = metrics;
  const behavior = parseAnnotation(annotations[BEHAVIOR_ANNOTATION]);
  if (isObject(behavior)) v2spec.behavior = behavior;

  const v2status: Obj = {};
  if (!unset(status.observedGeneration)) v2status.observedGeneration = status.observedGeneration;
  if (!unset(status.lastScaleTime)) v2status.lastScaleTime = status.lastScaleTime;
  if (int(status.currentReplicas) !== 0) v2status.currentReplicas = status.currentReplicas;
  v2status.desiredReplicas = status.desiredReplicas ?? 0;
  const cur = parseAnnotation(annotations[METRIC_STATUSES_ANNOTATION]);
  if (Array.isArray(cur) && cur.length) v2status.currentMetrics = cur.map((m) => metricStatusFromV1(asObject(m)));
  else if (typeof status.currentCPUUtilizationPercentage === 'number') {
    v2status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const conds = parseAnnotation(annotations[CONDITIONS_ANNOTATION]);
  if (Array.isArray(conds) && conds.length) v2status.conditions = conds;

  for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];
  const metadata = { ...v1.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2spec };
  if (v1.status !== undefined) out.status = v2status;
  defaultHPAv2(out);
  return out;
}

export function validateHPAv1(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const spec = asObject(obj.spec);
  // Same rules as v2, on the converted spec; targetCPUUtilizationPercentage maps to the cpu metric target.
  const v2 = hpaV1ToV2(obj);
  for (const e of validateHPASpec(v2.spec)) {
    if (e.field === 'spec.metrics[0].resource.target.averageUtilization' && typeof spec.targetCPUUtilizationPercentage === 'number') {
      errs.push(fe.invalid('spec.targetCPUUtilizationPercentage', spec.targetCPUUtilizationPercentage, 'must be greater than 0'));
    } else {
      errs.push(e);
    }
  }
  return errs;
}

const common = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status' as const],
};

export const hpaV2Def: ResourceDef = {
  ...common,
  version: 'v2',
  prepareForCreate(obj) {
    obj.status = { desiredReplicas: 0 };
  },
  default: defaultHPAv2,
  validate: validateHPAv2,
  validateStatus: (obj, old) => validateMetaFor(obj, old, { namespaced: true }),
  table: { columns: HPA_COLUMNS, row: hpaRow },
};

export const hpaV1Def: ResourceDef = {
  ...common,
  version: 'v1',
  storage: { group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2', toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
  prepareForCreate(obj) {
    obj.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  default(obj) {
    const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
    if (unset(spec.minReplicas)) spec.minReplicas = 1;
  },
  validate: validateHPAv1,
  validateStatus: (obj, old) => validateMetaFor(obj, old, { namespaced: true }),
  table: {
    columns: HPA_COLUMNS,
    row: (obj, now) => hpaRow(hpaV1ToV2(obj), now),
  },
};
