import { describe, expect, it } from 'vitest';
import { bodyFormat, decodeBody, parseAccept } from '../../../src-main/apiserver/media';
import { statusOf } from '../status-of';

describe('content negotiation', () => {
  it('recognises kubectl get table requests', () => {
    const a = parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json');
    expect(a.table).toBe(true);
  });
  it('falls back to plain JSON and notices protobuf-only clients', () => {
    expect(parseAccept('application/json').table).toBe(false);
    expect(parseAccept('application/vnd.kubernetes.protobuf').protobufOnly).toBe(true);
    expect(parseAccept('application/vnd.kubernetes.protobuf, */*').protobufOnly).toBe(false);
    expect(parseAccept('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io').partialMetadata).toBe(true);
  });
  it('rejects unknown body types with 415', () => {
    expect(statusOf(() => bodyFormat('text/plain', ['json', 'yaml'])).code).toBe(415);
    expect(bodyFormat('application/json; charset=utf-8', ['json'])).toBe('json');
  });
  it('names the position of a JSON syntax error with 400', () => {
    const e = statusOf(() => decodeBody(Buffer.from('{\n  "a": 1,\n  "b": }'), 'json'));
    expect(e.code).toBe(400);
    expect(e.message).toMatch(/line 3, column/);
  });
  it('names the line of a YAML syntax error with 400', () => {
    const e = statusOf(() => decodeBody(Buffer.from('a: 1\nb: [x\n'), 'yaml'));
    expect(e.code).toBe(400);
    expect(e.message).toMatch(/yaml: line \d+/);
  });
  it('decodes YAML and JSON bodies', () => {
    expect(decodeBody(Buffer.from('kind: Pod\nmetadata:\n  name: x\n'), 'yaml')).toEqual({ kind: 'Pod', metadata: { name: 'x' } });
    expect(decodeBody(Buffer.from('{"kind":"Pod"}'), 'yaml')).toEqual({ kind: 'Pod' });
  });
});
