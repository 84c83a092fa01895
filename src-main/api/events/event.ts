/**
 * events.k8s.io/v1 Event. It shares storage with core/v1 Events (`/registry/core/events`): the
 * converters map regarding ⇄ involvedObject, note ⇄ message, reportingController ⇄
 * reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/Count ⇄ source/firstTimestamp/
 * lastTimestamp/count, as pkg/apis/events/v1 conversion does. Validation is ValidateEventCreate for
 * the events.k8s.io/v1 request version (the strict one); the Table is the core Event printer.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { humanDuration } from '../printers';
import { validateMetaFor, validateObjectMetaUpdate, validateImmutableField } from '../core/validation/meta';
import { isDNS1123Subdomain, isQualifiedName } from '../core/validation/names';
import { col, nameOf, NAME_DESC } from '../apps/util/printing';

type Obj = Record<string, unknown>;

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** Copies the listed keys that are set. */
function pick(from: Obj, keys: string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/** events.k8s.io/v1 → core/v1 (what is stored). */
export function eventToCore(ev: KubeObject): KubeObject {
  const core: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: ev.metadata,
    involvedObject: isObject(ev.regarding) ? ev.regarding : {},
  };
  if (present(ev.reason)) core.reason = ev.reason;
  if (present(ev.note)) core.message = ev.note;
  core.source = isObject(ev.deprecatedSource) ? ev.deprecatedSource : {};
  core.firstTimestamp = present(ev.deprecatedFirstTimestamp) ? ev.deprecatedFirstTimestamp : null;
  core.lastTimestamp = present(ev.deprecatedLastTimestamp) ? ev.deprecatedLastTimestamp : null;
  if (typeof ev.deprecatedCount === 'number' && ev.deprecatedCount !== 0) core.count = ev.deprecatedCount;
  if (present(ev.type)) core.type = ev.type;
  core.eventTime = present(ev.eventTime) ? ev.eventTime : null;
  if (isObject(ev.series)) core.series = ev.series;
  if (present(ev.action)) core.action = ev.action;
  if (isObject(ev.related)) core.related = ev.related;
  core.reportingComponent = typeof ev.reportingController === 'string' ? ev.reportingController : '';
  core.reportingInstance = typeof ev.reportingInstance === 'string' ? ev.reportingInstance : '';
  return core;
}

/** core/v1 → events.k8s.io/v1 (what this version serves). */
export function eventFromCore(core: KubeObject): KubeObject {
  const ev: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: core.metadata };
  ev.eventTime = present(core.eventTime) ? core.eventTime : null;
  if (isObject(core.series)) ev.series = pick(core.series, ['count', 'lastObservedTime']);
  if (present(core.reportingComponent)) ev.reportingController = core.reportingComponent;
  if (present(core.reportingInstance)) ev.reportingInstance = core.reportingInstance;
  if (present(core.action)) ev.action = core.action;
  if (present(core.reason)) ev.reason = core.reason;
  ev.regarding = isObject(core.involvedObject) ? core.involvedObject : {};
  if (isObject(core.related)) ev.related = core.related;
  if (present(core.message)) ev.note = core.message;
  if (present(core.type)) ev.type = core.type;
  ev.deprecatedSource = isObject(core.source) ? core.source : {};
  ev.deprecatedFirstTimestamp = present(core.firstTimestamp) ? core.firstTimestamp : null;
  ev.deprecatedLastTimestamp = present(core.lastTimestamp) ? core.lastTimestamp : null;
  if (typeof core.count === 'number' && core.count !== 0) ev.deprecatedCount = core.count;
  return ev;
}

const LIMIT_128 = 128;
const NOTE_LIMIT = 1024;

function validateSeries(ev: KubeObject): FieldError[] {
  if (!isObject(ev.series)) return [];
  const errs: FieldError[] = [];
  const count = typeof ev.series.count === 'number' ? ev.series.count : 0;
  if (count < 2) errs.push(fe.invalid('series.count', '', 'should be at least 2'));
  if (!present(ev.series.lastObservedTime)) errs.push(fe.required('series.lastObservedTime', ''));
  return errs;
}

/** legacyValidateEvent followed by the strict events.k8s.io/v1 checks (ValidateEventCreate). */
export function validateEventsV1(ev: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (old) return validateEventsV1Update(ev, old);
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const regarding = asObject(ev.regarding);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (!present(ev.eventTime)) {
    const rns = str(regarding.namespace);
    if (rns === '' ? ns !== '' && ns !== 'default' : ns !== rns) errs.push(fe.invalid('involvedObject.namespace', rns, 'does not match event.namespace'));
  } else {
    if (str(regarding.namespace) === '' && ns !== 'default' && ns !== 'kube-system') errs.push(fe.invalid('involvedObject.namespace', '', 'does not match event.namespace'));
    const rc = str(ev.reportingController);
    if (rc === '') errs.push(fe.required('reportingController', ''));
    for (const m of isQualifiedName(rc)) errs.push(fe.invalid('reportingController', rc, m));
    const ri = str(ev.reportingInstance);
    if (ri === '') errs.push(fe.required('reportingInstance', ''));
    if (ri.length > LIMIT_128) errs.push(fe.invalid('reportingInstance', '', `can have at most ${LIMIT_128} characters`));
    const action = str(ev.action);
    if (action === '') errs.push(fe.required('action', ''));
    if (action.length > LIMIT_128) errs.push(fe.invalid('action', '', `can have at most ${LIMIT_128} characters`));
    const reason = str(ev.reason);
    if (reason === '') errs.push(fe.required('reason', ''));
    if (reason.length > LIMIT_128) errs.push(fe.invalid('reason', '', `can have at most ${LIMIT_128} characters`));
    if (str(ev.note).length > NOTE_LIMIT) errs.push(fe.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(fe.invalid('namespace', ns, m));
  errs.push(...validateMetaFor(ev, undefined, { namespaced: true }));
  errs.push(...validateSeries(ev));
  if (!present(ev.eventTime)) errs.push(fe.required('eventTime', ''));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(fe.invalid('type', '', `has invalid value: ${str(ev.type)}`));
  if (present(ev.deprecatedFirstTimestamp)) errs.push(fe.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (present(ev.deprecatedLastTimestamp)) errs.push(fe.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (typeof ev.deprecatedCount === 'number' && ev.deprecatedCount !== 0) errs.push(fe.invalid('deprecatedCount', '', 'needs to be unset'));
  const src = asObject(ev.deprecatedSource);
  if (present(src.component) || present(src.host)) errs.push(fe.invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate for events.k8s.io/v1: only series (and metadata) may change. Paths use the internal names. */
function validateEventsV1Update(ev: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ev.metadata, old.metadata);
  errs.push(...validateSeries(ev));
  const n = eventToCore(ev);
  const o = eventToCore(old);
  const fields: [string, string][] = [
    ['involvedObject', 'involvedObject'],
    ['reason', 'reason'],
    ['message', 'message'],
    ['source', 'source'],
    ['firstTimestamp', 'firstTimestamp'],
    ['lastTimestamp', 'lastTimestamp'],
    ['count', 'count'],
    ['type', 'type'],
    ['eventTime', 'eventTime'],
    ['action', 'action'],
    ['related', 'related'],
    ['reportingComponent', 'reportingController'],
    ['reportingInstance', 'reportingInstance'],
  ];
  for (const [k, path] of fields) errs.push(...validateImmutableField(n[k] ?? undefined, o[k] ?? undefined, path));
  return errs;
}

// --- Table (the core Event printer; events.k8s.io shares the internal type) -------------------

function since(ts: unknown, now: number): string {
  if (typeof ts !== 'string' || !ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The core/v1 Event printer's cells, for a core-shaped event. */
export function coreEventRow(e: KubeObject, now: number): (string | number)[] {
  let first = since(e.firstTimestamp, now);
  if (!present(e.firstTimestamp)) first = since(e.eventTime, now);
  let last = present(e.lastTimestamp) ? since(e.lastTimestamp, now) : first;
  let count = typeof e.count === 'number' ? e.count : 0;
  if (isObject(e.series)) {
    last = since(e.series.lastObservedTime, now);
    count = typeof e.series.count === 'number' ? e.series.count : 0;
  } else if (count === 0) {
    count = 1;
  }
  const io = asObject(e.involvedObject);
  const kind = (typeof io.kind === 'string' ? io.kind : '').toLowerCase();
  const target = typeof io.name === 'string' && io.name ? `${kind}/${io.name}` : kind;
  const src = asObject(e.source);
  const component = (typeof src.component === 'string' && src.component) || (typeof e.reportingComponent === 'string' ? e.reportingComponent : '');
  const host = (typeof src.host === 'string' && src.host) || (typeof e.reportingInstance === 'string' ? e.reportingInstance : '');
  const source = host ? `${component}, ${host}` : component;
  return [
    last,
    typeof e.type === 'string' ? e.type : '',
    typeof e.reason === 'string' ? e.reason : '',
    target,
    typeof io.fieldPath === 'string' ? io.fieldPath : '',
    source,
    (typeof e.message === 'string' ? e.message : '').trim(),
    first,
    count,
    nameOf(e),
  ];
}

export const EVENT_COLUMNS = [
  col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  col('Object', 'string', 'The object that this event is about.'),
  col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
  col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
  col('Message', 'string', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
  col('Count', 'string', 'The number of times this event has occurred.', 1),
  { name: 'Name', type: 'string' as const, format: 'name', description: NAME_DESC, priority: 1 as const },
];

const regardingField = (k: string) => (e: KubeObject) => {
  const v = asObject(e.regarding)[k];
  return typeof v === 'string' ? v : '';
};

export const eventsV1Def: ResourceDef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  storage: { group: '', resource: 'events', version: 'v1', toStorage: eventToCore, fromStorage: eventFromCore },
  validate: validateEventsV1,
  fieldSelectors: {
    reason: (e) => (typeof e.reason === 'string' ? e.reason : ''),
    type: (e) => (typeof e.type === 'string' ? e.type : ''),
    reportingController: (e) => (typeof e.reportingController === 'string' ? e.reportingController : ''),
    'regarding.kind': regardingField('kind'),
    'regarding.namespace': regardingField('namespace'),
    'regarding.name': regardingField('name'),
    'regarding.uid': regardingField('uid'),
    'regarding.apiVersion': regardingField('apiVersion'),
    'regarding.resourceVersion': regardingField('resourceVersion'),
    'regarding.fieldPath': regardingField('fieldPath'),
  },
  table: {
    columns: EVENT_COLUMNS,
    row(obj, now) {
      return coreEventRow(eventToCore(obj), now);
    },
  },
};
