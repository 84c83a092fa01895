/**
 * Events (core/v1): the namespace rules of legacy event validation, the new-style required
 * fields when eventTime is set, field selectors, and the `kubectl get events` table.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ColumnDef, ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { NAME_DESCRIPTION, col, n, o, s } from './common';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';


export function validateEvent(ev: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(ev.metadata, old.metadata) : validateObjectMeta(ev.metadata, { namespaced: true });
  const inv = o(ev.involvedObject);
  const ns = ev.metadata.namespace ?? '';
  const invNs = s(inv.namespace);
  if (invNs === '') {
    if (ns !== '' && ns !== 'default') errs.push(fe.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
  } else if (ns !== invNs) {
    errs.push(fe.invalid('involvedObject.namespace', invNs, 'does not match event.namespace'));
  }
  if (s(ev.eventTime)) {
    if (!s(ev.reportingComponent)) errs.push(fe.required('reportingController', ''));
    if (!s(ev.reportingInstance)) errs.push(fe.required('reportingInstance', ''));
    if (!s(ev.action)) errs.push(fe.required('action', ''));
    if (!s(ev.reason)) errs.push(fe.required('reason', ''));
    if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(fe.invalid('type', ev.type ?? '', 'has invalid value: ' + s(ev.type)));
  }
  if (s(ev.reason).length > 128) errs.push(fe.tooLong('reason', 128));
  if (s(ev.action).length > 128) errs.push(fe.tooLong('action', 128));
  if (s(ev.message).length > 4096) errs.push(fe.tooLong('message', 4096));
  return errs;
}

function microSince(ts: unknown, now: number): string {
  return translateTimestampSince(typeof ts === 'string' && ts ? ts : undefined, now);
}

const NAME_WIDE: ColumnDef = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 1 };

export const eventsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],

  validate: validateEvent,

  fieldSelectors: {
    'involvedObject.kind': (e) => s(o(e.involvedObject).kind),
    'involvedObject.namespace': (e) => s(o(e.involvedObject).namespace),
    'involvedObject.name': (e) => s(o(e.involvedObject).name),
    'involvedObject.uid': (e) => s(o(e.involvedObject).uid),
    'involvedObject.apiVersion': (e) => s(o(e.involvedObject).apiVersion),
    'involvedObject.resourceVersion': (e) => s(o(e.involvedObject).resourceVersion),
    'involvedObject.fieldPath': (e) => s(o(e.involvedObject).fieldPath),
    reason: (e) => s(e.reason),
    reportingComponent: (e) => s(e.reportingComponent),
    source: (e) => s(o(e.source).component),
    type: (e) => s(e.type),
  },

  table: {
    columns: [
      col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
      col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
      col('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      col('Object', 'The object that this event is about.'),
      col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
      col('Source', 'The component reporting this event. Should be a short machine understandable string.', 1),
      col('Message', 'A human-readable description of the status of this operation.'),
      col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
      col('Count', 'The number of times this event has occurred.', 1),
      NAME_WIDE,
    ],
    row(ev, now) {
      const inv = o(ev.involvedObject);
      let first = microSince(ev.firstTimestamp, now);
      if (!s(ev.firstTimestamp)) first = microSince(ev.eventTime, now);
      let last = s(ev.lastTimestamp) ? microSince(ev.lastTimestamp, now) : first;
      let count = n(ev.count);
      if (ev.series !== undefined && ev.series !== null) {
        const series = o(ev.series);
        last = microSince(series.lastObservedTime, now);
        count = n(series.count);
      } else if (count === 0) {
        count = 1;
      }
      const kind = s(inv.kind).toLowerCase();
      const target = s(inv.name) ? `${kind}/${s(inv.name)}` : kind;
      const src = o(ev.source);
      const component = s(src.component) || s(ev.reportingComponent);
      const host = s(src.host) || s(ev.reportingInstance);
      return [
        last,
        s(ev.type),
        s(ev.reason),
        target,
        s(inv.fieldPath),
        host ? `${component}, ${host}` : component,
        s(ev.message).trim(),
        first,
        count,
        ev.metadata.name ?? '',
      ];
    },
  },
};
