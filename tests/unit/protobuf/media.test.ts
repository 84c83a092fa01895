import { describe, expect, it } from 'vitest';
import { bodyFormat, decodeBody } from '../../../src-main/apiserver/media';
import { StatusError } from '../../../src-main/api/errors';

// What kubectl 1.33 sends for `kubectl create configmap c1 --from-literal=a=b`:
// k8s\0 + Unknown{typeMeta{v1, ConfigMap}, raw: ConfigMap{metadata{name: c1}, data{a: b}}}
const CONFIGMAP = Buffer.from('6b3873000a0f0a0276311209436f6e6669674d6170121c0a120a02633112001a0022002a0032003800420012060a01611201621a002200', 'hex');

function code(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StatusError ? e.code : -1;
  }
  return undefined;
}

describe('media: protobuf request bodies', () => {
  it('accepts application/vnd.kubernetes.protobuf wherever JSON is accepted', () => {
    expect(bodyFormat('application/vnd.kubernetes.protobuf', ['json', 'yaml'])).toBe('protobuf');
    expect(bodyFormat('application/vnd.kubernetes.protobuf; charset=binary', ['json'])).toBe('protobuf');
  });
  it('still refuses it where only patches are accepted (415)', () => {
    expect(code(() => bodyFormat('application/vnd.kubernetes.protobuf', ['json-patch', 'merge-patch', 'strategic-merge-patch', 'apply-patch']))).toBe(415);
  });
  it('decodes the body into the JSON-equivalent object', () => {
    expect(decodeBody(CONFIGMAP, 'protobuf')).toStrictEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c1', creationTimestamp: null }, data: { a: 'b' } });
  });
  it('a JSON body sent with the protobuf content type is a 400, not a crash', () => {
    expect(code(() => decodeBody(Buffer.from('{"kind":"ConfigMap"}'), 'protobuf'))).toBe(400);
  });
});
