import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../../src-main/apiserver/protobuf';
import { goDuration, messageNameFor } from '../../../src-main/apiserver/protobuf/decode';
import { StatusError } from '../../../src-main/api/errors';
import { MESSAGES } from '../../../src-main/apiserver/protobuf/schema-table';

// ------------------------------------------------------------------------------------------
// A tiny protobuf encoder: a message is a list of fields, built with these helpers.

type Bytes = number[];

function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const int = (field: number, n: number | bigint): Bytes => [...tag(field, 0), ...varint(n)];
const bool = (field: number, b: boolean): Bytes => int(field, b ? 1 : 0);
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [...tag(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);
const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());
const entry = (field: number, key: Bytes, value: Bytes): Bytes => msg(field, key, value);
const packed = (field: number, ns: number[]): Bytes => bytes(field, ns.flatMap((n) => varint(n)));

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
function envelope(apiVersion: string, kind: string, ...raw: Bytes[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, raw.flat()), ...str(3, ''), ...str(4, '')]);
}

/** ObjectMeta as Go writes it for a new object: every non-pointer field, mostly empty. */
function meta(name: string, ...extra: Bytes[]): Bytes {
  return msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), ...extra);
}

function status(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw new Error(`expected a StatusError, got ${String(e)}`);
  }
  throw new Error('expected a StatusError, got no error');
}

// ------------------------------------------------------------------------------------------

describe('isKubernetesProtobuf', () => {
  it('matches the protobuf media type with or without parameters, but not the watch stream', () => {
    expect(isKubernetesProtobuf('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isKubernetesProtobuf('Application/VND.Kubernetes.Protobuf; charset=utf-8')).toBe(true);
    expect(isKubernetesProtobuf('application/vnd.kubernetes.protobuf;stream=watch')).toBe(false);
    expect(isKubernetesProtobuf('application/json')).toBe(false);
    expect(isKubernetesProtobuf(undefined)).toBe(false);
  });
});

describe('decodeKubernetesProtobuf: the envelope and metadata', () => {
  it('decodes a ConfigMap with kind and apiVersion from the envelope and Go JSON omitempty rules', () => {
    const d = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', meta('c1', entry(11, str(1, 'app'), str(2, 'x'))), entry(2, str(1, 'a'), str(2, 'b')), entry(2, str(1, 'empty'), str(2, ''))));
    expect(d.apiVersion).toBe('v1');
    expect(d.kind).toBe('ConfigMap');
    // creationTimestamp: non-pointer struct, zero → null (as kubectl's JSON has it); other empty fields omitted.
    expect(d.object).toStrictEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c1', creationTimestamp: null, labels: { app: 'x' } }, data: { a: 'b', empty: '' } });
  });

  it('maps every served group-version to its package, and options kinds to meta/v1', () => {
    expect(messageNameFor('apps/v1', 'Deployment')).toBe('apps.v1.Deployment');
    expect(messageNameFor('v1', 'Pod')).toBe('core.v1.Pod');
    expect(messageNameFor('networking.k8s.io/v1', 'Ingress')).toBe('networking.v1.Ingress');
    expect(messageNameFor('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')).toBe('rbac.v1.ClusterRoleBinding');
    expect(messageNameFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe('autoscaling.v2.HorizontalPodAutoscaler');
    expect(messageNameFor('autoscaling/v1', 'Scale')).toBe('autoscaling.v1.Scale');
    expect(messageNameFor('discovery.k8s.io/v1', 'EndpointSlice')).toBe('discovery.v1.EndpointSlice');
    expect(messageNameFor('storage.k8s.io/v1', 'StorageClass')).toBe('storage.v1.StorageClass');
    expect(messageNameFor('coordination.k8s.io/v1', 'Lease')).toBe('coordination.v1.Lease');
    expect(messageNameFor('events.k8s.io/v1', 'Event')).toBe('events.v1.Event');
    expect(messageNameFor('policy/v1', 'Eviction')).toBe('policy.v1.Eviction');
    expect(messageNameFor('batch/v1', 'CronJob')).toBe('batch.v1.CronJob');
    expect(messageNameFor('v1', 'DeleteOptions')).toBe('meta.v1.DeleteOptions');
    expect(messageNameFor('apps/v1', 'DeleteOptions')).toBe('meta.v1.DeleteOptions');
    expect(messageNameFor('meta.k8s.io/v1', 'DeleteOptions')).toBe('meta.v1.DeleteOptions');
    expect(messageNameFor('apps/v1', 'Pod')).toBeUndefined();
    expect(messageNameFor('example.com/v1', 'Widget')).toBeUndefined();
  });

  it('decodes Time (seconds, RFC 3339, nanos dropped as Go does), pointers and owner references', () => {
    const t = 1704164645; // 2024-01-02T03:04:05Z
    const d = decodeKubernetesProtobuf(
      envelope('v1', 'Namespace', msg(1, str(1, 'n'), msg(8, int(1, t), int(2, 999)), msg(9, int(1, t + 60)), int(10, 30), int(7, 3), msg(13, str(5, 'apps/v1'), str(1, 'Deployment'), str(3, 'd'), str(4, 'uid-1'), bool(6, true)), str(14, 'f1'), str(14, 'f2'))),
    );
    expect(d.object.metadata).toStrictEqual({
      name: 'n',
      generation: 3,
      creationTimestamp: '2024-01-02T03:04:05Z',
      deletionTimestamp: '2024-01-02T03:05:05Z',
      deletionGracePeriodSeconds: 30,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'uid-1', controller: true }],
      finalizers: ['f1', 'f2'],
    });
    // spec and status are non-pointer structs: present (empty) although absent on the wire.
    expect(d.object.spec).toStrictEqual({});
    expect(d.object.status).toStrictEqual({});
  });

  it('decodes MicroTime with 6 fractional digits (truncated to microseconds) and a zero one as null', () => {
    const d = decodeKubernetesProtobuf(envelope('events.k8s.io/v1', 'Event', meta('e'), msg(2, int(1, 1704164645), int(2, 123456789)), str(4, 'ctl'), str(7, 'Started'), msg(13)));
    expect(d.object.eventTime).toBe('2024-01-02T03:04:05.123456Z');
    expect(d.object.deprecatedFirstTimestamp).toBeNull();
    expect(d.object.reportingController).toBe('ctl');
    expect((d.object.regarding as object)).toStrictEqual({});
    const zero = decodeKubernetesProtobuf(envelope('events.k8s.io/v1', 'Event', meta('e'), msg(2)));
    expect(zero.object.eventTime).toBeNull();
  });
});

describe('decodeKubernetesProtobuf: special wire types', () => {
  it('Secret bytes (map<string, bytes>) become base64 strings; stringData stays text', () => {
    const raw = [0, 1, 2, 0xff, 0xfe, 0x80];
    const d = decodeKubernetesProtobuf(envelope('v1', 'Secret', meta('s'), entry(2, str(1, 'bin'), bytes(2, raw)), entry(2, str(1, 'a'), bytes(2, [0x62])), entry(2, str(1, 'empty'), bytes(2, [])), str(3, 'Opaque'), entry(4, str(1, 'x'), str(2, 'y'))));
    expect(d.object.data).toStrictEqual({ a: 'Yg==', bin: Buffer.from(raw).toString('base64'), empty: '' });
    expect(d.object.stringData).toStrictEqual({ x: 'y' });
    expect(d.object.type).toBe('Opaque');
  });

  it('ConfigMap binaryData and a map entry without a value', () => {
    const d = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', meta('c'), entry(3, str(1, 'b'), bytes(2, [1, 2, 3])), entry(2, str(1, 'novalue'), [])));
    expect(d.object.binaryData).toStrictEqual({ b: 'AQID' });
    expect(d.object.data).toStrictEqual({ novalue: '' });
  });

  it('Quantity is its string; IntOrString is a number or a string (PDB, Service targetPort)', () => {
    const pdb = decodeKubernetesProtobuf(envelope('policy/v1', 'PodDisruptionBudget', meta('p'), msg(2, msg(1, int(1, 1), int(2, 0), str(3, '50%')), msg(2, entry(1, str(1, 'app'), str(2, 'x'))))));
    expect(pdb.object.spec).toStrictEqual({ minAvailable: '50%', selector: { matchLabels: { app: 'x' } } });
    const pdb2 = decodeKubernetesProtobuf(envelope('policy/v1', 'PodDisruptionBudget', meta('p'), msg(2, msg(3, int(1, 0), int(2, 1), str(3, '')))));
    expect((pdb2.object.spec as Record<string, unknown>).maxUnavailable).toBe(1);
    const quota = decodeKubernetesProtobuf(envelope('v1', 'ResourceQuota', meta('q'), msg(2, entry(1, str(1, 'cpu'), msg(2, str(1, '500m'))), entry(1, str(1, 'memory'), msg(2, str(1, '1Gi'))), str(2, 'BestEffort'))));
    expect(quota.object.spec).toStrictEqual({ hard: { cpu: '500m', memory: '1Gi' }, scopes: ['BestEffort'] });
    // A ServicePort without targetPort: the zero IntOrString marshals as 0 (no omitempty on structs).
    const svc = decodeKubernetesProtobuf(envelope('v1', 'Service', meta('s'), msg(2, msg(1, str(1, 'http'), str(2, 'TCP'), int(3, 80), int(5, 0)), str(4, 'NodePort'))));
    expect((svc.object.spec as Record<string, unknown>).ports).toStrictEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 0 }]);
  });

  it('optional pointers: present zero is kept, absent is omitted (Deployment replicas)', () => {
    const zero = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', meta('d'), msg(2, int(1, 0), msg(3, msg(1), msg(2)), msg(4))));
    expect((zero.object.spec as Record<string, unknown>).replicas).toBe(0);
    const absent = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', meta('d'), msg(2, msg(3, msg(1), msg(2)), msg(4))));
    const spec = absent.object.spec as Record<string, unknown>;
    expect('replicas' in spec).toBe(false);
    // selector is a pointer without omitempty: nil is null, as Go's JSON has it.
    expect(spec.selector).toBeNull();
    // The pod template's containers (no omitempty) nil → null.
    expect(spec.template).toStrictEqual({ metadata: { creationTimestamp: null }, spec: { containers: null } });
    expect(spec.strategy).toStrictEqual({});
  });

  it('repeated scalars, packed and unpacked; negative int64; bools', () => {
    const podSpec = (sc: Bytes): Bytes => msg(2, msg(2, str(1, 'c'), str(2, 'nginx')), msg(14, ...[sc]));
    const unpacked = decodeKubernetesProtobuf(envelope('v1', 'Pod', meta('p'), podSpec([...int(4, 1), ...int(4, 2), ...int(2, -1), ...bool(3, false)])));
    const ctx = (o: Record<string, unknown>): unknown => (o.spec as Record<string, unknown>).securityContext;
    expect(ctx(unpacked.object)).toStrictEqual({ supplementalGroups: [1, 2], runAsUser: -1, runAsNonRoot: false });
    const p = decodeKubernetesProtobuf(envelope('v1', 'Pod', meta('p'), podSpec(packed(4, [5, 300, 70000]))));
    expect(ctx(p.object)).toStrictEqual({ supplementalGroups: [5, 300, 70000] });
  });

  it('inlined embedded structs merge into the parent (Volume source, Probe handler)', () => {
    const d = decodeKubernetesProtobuf(
      envelope(
        'v1',
        'Pod',
        meta('p'),
        msg(
          2,
          msg(1, str(1, 'data'), msg(2, msg(2, str(1, 'Memory'), msg(2, str(1, '64Mi'))))),
          msg(2, str(1, 'c'), str(2, 'nginx'), msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 0), int(2, 8080)))), int(2, 5), int(4, 10))),
        ),
      ),
    );
    const spec = d.object.spec as Record<string, unknown>;
    expect(spec.volumes).toStrictEqual([{ name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]);
    expect((spec.containers as Record<string, unknown>[])[0].livenessProbe).toStrictEqual({ httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 });
  });

  it('RawExtension holds JSON (ControllerRevision data), or a nested protobuf object', () => {
    const cr = decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', meta('r'), msg(2, str(1, '{"spec":{"a":1}}')), int(3, 2)));
    expect(cr.object.data).toStrictEqual({ spec: { a: 1 } });
    expect(cr.object.revision).toBe(2);
    const nested = envelope('v1', 'ConfigMap', meta('inner'));
    const cr2 = decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', meta('r'), msg(2, bytes(1, nested))));
    expect(cr2.object.data).toStrictEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'inner', creationTimestamp: null } });
    const empty = decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', meta('r')));
    expect(empty.object.data).toBeNull();
  });

  it('Go slice types sent as {items} messages become arrays (SubjectAccessReview extra)', () => {
    const d = decodeKubernetesProtobuf(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', meta('x'), msg(2, str(3, 'alice'), entry(5, str(1, 'scopes'), msg(2, str(1, 'a'), str(1, 'b'))), entry(5, str(1, 'none'), []))));
    expect((d.object.spec as Record<string, unknown>).extra).toStrictEqual({ none: null, scopes: ['a', 'b'] });
  });

  it('non-omitempty nil slices are null (Role rules), empty strings inside repeated fields are kept', () => {
    const none = decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'Role', meta('r')));
    expect(none.object.rules).toBeNull();
    const r = decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'Role', meta('r'), msg(2, str(1, 'get'), str(2, ''), str(3, 'pods'))));
    expect(r.object.rules).toStrictEqual([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
  });

  it('Eviction with DeleteOptions; DeleteOptions on its own (typed-client DELETE bodies)', () => {
    const ev = decodeKubernetesProtobuf(envelope('policy/v1', 'Eviction', msg(1, str(1, 'pod-1'), str(3, 'default')), msg(2, int(1, 0), str(5, 'All'))));
    expect(ev.object).toStrictEqual({ kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'pod-1', namespace: 'default', creationTimestamp: null }, deleteOptions: { gracePeriodSeconds: 0, dryRun: ['All'] } });
    const del = decodeKubernetesProtobuf(envelope('v1', 'DeleteOptions', int(1, 30), msg(2, str(1, 'uid-1')), str(4, 'Foreground')));
    expect(del.object).toStrictEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 30, preconditions: { uid: 'uid-1' }, propagationPolicy: 'Foreground' });
  });

  it('Binding and Scale', () => {
    const b = decodeKubernetesProtobuf(envelope('v1', 'Binding', meta('p'), msg(2, str(1, 'Node'), str(3, 'worker'))));
    expect(b.object.target).toStrictEqual({ kind: 'Node', name: 'worker' });
    const sc = decodeKubernetesProtobuf(envelope('autoscaling/v1', 'Scale', meta('d'), msg(2, int(1, 0))));
    expect(sc.object.spec).toStrictEqual({});
    const sc3 = decodeKubernetesProtobuf(envelope('autoscaling/v1', 'Scale', meta('d'), msg(2, int(1, 3))));
    expect(sc3.object.spec).toStrictEqual({ replicas: 3 });
  });

  it('skips unknown fields and merges a message field sent twice (proto semantics)', () => {
    const d = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', meta('c'), int(99, 7), str(98, 'junk'), [...tag(97, 1), 1, 2, 3, 4, 5, 6, 7, 8], [...tag(96, 5), 1, 2, 3, 4], msg(1, entry(11, str(1, 'x'), str(2, '1')))));
    expect(d.object.metadata).toStrictEqual({ name: 'c', creationTimestamp: null, labels: { x: '1' } });
  });

  it('Go Duration strings', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(1.5e9)).toBe('1.5s');
    expect(goDuration(3600e9)).toBe('1h0m0s');
    expect(goDuration(90e9)).toBe('1m30s');
    expect(goDuration(2e6)).toBe('2ms');
    expect(goDuration(1500)).toBe('1.5µs');
    expect(goDuration(-5e9)).toBe('-5s');
  });
});

describe('decodeKubernetesProtobuf: bad input is a 400, never a crash', () => {
  const good = envelope('v1', 'ConfigMap', meta('c1'), entry(2, str(1, 'a'), str(2, 'b')));

  it('every truncation of a valid body is a 400 or a valid object', () => {
    for (let n = 0; n < good.length; n++) {
      try {
        decodeKubernetesProtobuf(good.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
        expect((e as StatusError).code).toBe(400);
      }
    }
    const e = status(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 3)));
    expect(e.message).toMatch(/unable to decode protobuf body: .*(runs past the end|truncated)/);
  });

  it('random corruption never throws anything but a 400', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + (i % 4); k++) b[4 + (rand() % (b.length - 4))] = rand() & 0xff;
      try {
        decodeKubernetesProtobuf(b);
      } catch (e) {
        expect(e).toBeInstanceOf(StatusError);
        expect((e as StatusError).code).toBe(400);
      }
    }
  });

  it('names the problem: no magic, empty, unknown kind, no kind, encoding, wire type mismatch', () => {
    expect(status(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"ConfigMap"}'))).message).toMatch(/does not start with the Kubernetes protobuf prefix/);
    expect(status(() => decodeKubernetesProtobuf(Buffer.alloc(0))).code).toBe(400);
    expect(status(() => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget'))).message).toMatch(/no protobuf schema for kind "Widget" in "example.com\/v1"/);
    expect(status(() => decodeKubernetesProtobuf(envelope('v1', ''))).message).toMatch(/names no kind/);
    const gz = Buffer.concat([envelope('v1', 'ConfigMap'), Buffer.from(str(3, 'gzip'))]);
    expect(status(() => decodeKubernetesProtobuf(gz)).message).toMatch(/content encoding "gzip" is not supported/);
    expect(status(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', int(1, 5)))).message).toMatch(/ConfigMap\.metadata: expected length-delimited/);
    expect(status(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [...tag(5, 3)]))).message).toMatch(/wire type 3/);
    expect(status(() => decodeKubernetesProtobuf(envelope('apps/v1', 'ControllerRevision', meta('r'), msg(2, str(1, 'not json'))))).message).toMatch(/neither JSON nor Kubernetes protobuf/);
  });

  it('deeply nested embedded objects stop with a 400', () => {
    let inner: Buffer = envelope('v1', 'ConfigMap');
    for (let i = 0; i < 100; i++) inner = envelope('apps/v1', 'ControllerRevision', msg(2, bytes(1, inner)));
    expect(status(() => decodeKubernetesProtobuf(inner)).message).toMatch(/nested deeper/);
  });
});

describe('the generated table', () => {
  it('covers the kinds kubesim serves and the special types', () => {
    for (const k of [
      'core.v1.Pod', 'core.v1.Service', 'core.v1.Secret', 'core.v1.Binding', 'core.v1.Node', 'core.v1.PersistentVolumeClaim',
      'apps.v1.Deployment', 'apps.v1.StatefulSet', 'apps.v1.DaemonSet', 'batch.v1.Job', 'batch.v1.CronJob', 'policy.v1.Eviction',
      'networking.v1.Ingress', 'networking.v1.NetworkPolicy', 'rbac.v1.ClusterRole', 'autoscaling.v1.Scale', 'autoscaling.v2.HorizontalPodAutoscaler',
      'discovery.v1.EndpointSlice', 'storage.v1.StorageClass', 'coordination.v1.Lease', 'events.v1.Event', 'meta.v1.DeleteOptions',
      'meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Duration', 'am.resource.Quantity', 'am.intstr.IntOrString', 'am.runtime.RawExtension',
    ]) {
      expect(MESSAGES[k], k).toBeDefined();
    }
  });
});
