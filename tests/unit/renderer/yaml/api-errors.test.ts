import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../../../src-renderer/features/yaml/documents';
import { apiErrorLines } from '../../../../src-renderer/features/yaml/api-errors';

const TEXT = `apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: web
`;

describe('apiErrorLines', () => {
  const { docs, lineCounter } = splitDocuments(TEXT);
  const d = docs[1];
  it('puts each Invalid cause at the line of its field in the whole text', () => {
    const lines = apiErrorLines(
      {
        code: 422,
        reason: 'Invalid',
        message: 'Deployment.apps "bad" is invalid: …',
        details: {
          causes: [
            { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
            { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image' },
          ],
        },
      },
      d.doc,
      lineCounter,
      d.startLine,
    );
    expect(lines).toEqual([
      { line: 11, message: 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
      { line: 15, message: 'spec.template.spec.containers[0].image: Required value' },
    ]);
  });
  it('apply conflicts (leading dot) and strict decoding errors name fields too', () => {
    expect(apiErrorLines({ code: 409, message: 'Apply failed with 1 conflict', details: { causes: [{ field: '.spec.replicas', message: 'conflict with "kubectl-create" using apps/v1' }] } }, d.doc, lineCounter, d.startLine)).toEqual([
      { line: 11, message: 'spec.replicas: conflict with "kubectl-create" using apps/v1' },
    ]);
    expect(apiErrorLines({ code: 400, message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec"' }, d.doc, lineCounter, d.startLine)).toEqual([
      { line: 13, message: 'spec.template.spec: unknown field' },
    ]);
  });
  it('anything else at the document\'s first line', () => {
    expect(apiErrorLines({ code: 403, message: 'forbidden' }, d.doc, lineCounter, d.startLine)).toEqual([{ line: 5, message: 'forbidden' }]);
  });
});
