import { describe, expect, test } from 'vitest';
import {
  duplicateFields,
  goMapString,
  parseFieldValidation,
  strictDecodingCreateMessage,
  strictDecodingPatchCause,
  typedPatchErrorMessage,
  unknownFieldErrors,
  unknownFields,
  warningHeaderValue,
} from '../../../src-main/apiserver/openapi/field-validation';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { a: 'b' }, annotations: { x: 'y' }, foo: 1, creationTimestamp: null },
  spec: {
    containers: [
      { name: 'c', image: 'nginx', imagePullPolicyX: 'Always', ports: [{ containerPort: 80, hostPortt: 1 }], resources: { limits: { cpu: '1' } } },
      { name: 'd', image: 'nginx', env: [{ name: 'A', value: 'b', valueFrom: { fieldRef: { fieldPath: 'x', extra: true } } }] },
    ],
    bar: { baz: 1 },
  },
  status: {},
};

describe('unknownFields', () => {
  test('lists unknown paths in document order, in the decoder format', () => {
    expect(unknownFields('', 'v1', 'Pod', pod)).toEqual([
      'metadata.foo',
      'spec.containers[0].imagePullPolicyX',
      'spec.containers[0].ports[0].hostPortt',
      'spec.containers[1].env[0].valueFrom.fieldRef.extra',
      'spec.bar',
    ]);
    expect(unknownFieldErrors('', 'v1', 'Pod', { spec: { foo: 1 } })).toEqual(['unknown field "spec.foo"']);
  });

  test('known objects, maps, int-or-string, quantities and raw extensions pass', () => {
    const deploy = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', managedFields: [{ fieldsV1: { 'f:spec': {} } }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    expect(unknownFields('apps', 'v1', 'Deployment', deploy)).toEqual([]);
    expect(unknownFields('apps', 'v1', 'ControllerRevision', { data: { anything: { goes: 1 } }, revision: 1 })).toEqual([]);
    expect(unknownFields('example.com', 'v1', 'Widget', { spec: { x: 1 } })).toEqual([]);
    expect(unknownFields('apps', 'v1', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'c', Image: 'x' }] } } } })).toEqual(['spec.template.spec.containers[0].Image']);
  });
});

describe('duplicateFields', () => {
  test('finds repeated keys with their paths', () => {
    expect(duplicateFields('{"kind":"Pod","metadata":{"name":"a","name":"b"},"spec":{"containers":[{"name":"c","image":"x","image":"y"}]},"kind":"Pod"}')).toEqual([
      'duplicate field "metadata.name"',
      'duplicate field "spec.containers[0].image"',
      'duplicate field "kind"',
    ]);
    expect(duplicateFields(Buffer.from('{"a":{"b":1},"c":[1,2,{"d":"\\"}"}]}'))).toEqual([]);
    expect(duplicateFields('{not json')).toEqual([]);
  });
});

describe('messages', () => {
  test('match upstream wording', () => {
    expect(strictDecodingCreateMessage('Pod', 'v1', ['unknown field "spec.foo"', 'unknown field "spec.bar"'])).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"',
    );
    expect(warningHeaderValue('unknown field "spec.foo"')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(strictDecodingPatchCause('map[spec:map[foo:1]]', ['unknown field "spec.foo"'])).toEqual({
      field: 'patch', reason: 'FieldValueInvalid', message: 'Invalid value: "map[spec:map[foo:1]]": strict decoding error: unknown field "spec.foo"',
    });
    expect(goMapString({ spec: { foo: 1, a: [1, 'x'] }, b: null })).toBe('map[b:<nil> spec:map[a:[1 x] foo:1]]');
    expect(parseFieldValidation(null)).toEqual({ directive: 'Warn' });
    expect(parseFieldValidation('Strict')).toEqual({ directive: 'Strict' });
    expect(parseFieldValidation('strict')).toEqual({ error: 'fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"' });
    expect(typedPatchErrorMessage('', 'v1', 'Pod', { spec: { foo: 1 } })).toBe('failed to create typed patch object (/v1, Kind=Pod): .spec.foo: field not declared in schema');
    expect(typedPatchErrorMessage('', 'v1', 'Pod', { spec: { containers: [{ name: 'c' }] } })).toBeUndefined();
  });
});
