import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { fieldLocation, parseFieldPath, topLevelBlock } from '../../../../src-renderer/features/yaml/field-path';

const DEPLOY = `# header
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: -1
  template:
    spec:
      containers:
        - name: sidecar
          image: busybox
        - name: web
          image:
          ports:
            - containerPort: 80
status:
  replicas: 1
  readyReplicas: 1
`;

function locate(field: string) {
  const lc = new LineCounter();
  const doc = parseDocument(DEPLOY, { lineCounter: lc });
  return fieldLocation(doc, lc, field);
}

describe('parseFieldPath', () => {
  it('splits names, indices and bracketed keys', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseFieldPath('.spec.replicas')).toEqual(['spec', 'replicas']);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(parseFieldPath('spec.ports[1].port')).toEqual(['spec', 'ports', 1, 'port']);
  });
});

describe('fieldLocation', () => {
  it('finds the line of a field (comments and header lines counted)', () => {
    expect(locate('spec.replicas')).toEqual({ line: 9, exact: true });
    expect(locate('.spec.replicas')).toEqual({ line: 9, exact: true });
    expect(locate('metadata.name')).toEqual({ line: 5, exact: true });
  });
  it('follows sequence indices and bracketed map keys', () => {
    expect(locate('spec.template.spec.containers[0].image')).toEqual({ line: 14, exact: true });
    expect(locate('spec.template.spec.containers[1].ports[0].containerPort')).toEqual({ line: 18, exact: true });
    expect(locate('metadata.labels[app.kubernetes.io/name]')).toEqual({ line: 7, exact: true });
  });
  it('a key written without a value is exact', () => {
    expect(locate('spec.template.spec.containers[1].image')).toEqual({ line: 16, exact: true });
  });
  it('a missing field lands on its nearest written parent', () => {
    expect(locate('spec.selector')).toEqual({ line: 8, exact: false });
    expect(locate('spec.template.spec.containers[1].resources.limits')).toEqual({ line: 15, exact: false });
    expect(locate('spec.template.spec.containers[5].image')).toEqual({ line: 12, exact: false });
  });
  it('a bracketed name selects a list item by its name', () => {
    expect(locate('spec.template.spec.containers[web].image')).toEqual({ line: 16, exact: true });
  });
  it('gives the lines of a top-level block', () => {
    const lc = new LineCounter();
    const doc = parseDocument(DEPLOY, { lineCounter: lc });
    expect(topLevelBlock(doc, lc, 'status')).toEqual([19, 21]);
    expect(topLevelBlock(doc, lc, 'nope')).toBeUndefined();
  });
});
