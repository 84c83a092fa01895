import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../src-main/api/types';
import type { StoreEvent } from '../../../src-main/storage/types';

export function pod(ns: string, name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name.split('-')[0] }, uid: `uid-${ns}-${name}` },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }], nodeName: 'worker-1' },
    status: { phase: 'Running' },
    ...extra,
  };
}

export function podKey(ns: string, name: string): string {
  return `/registry/core/pods/${ns}/${name}`;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A compact description of an event for comparisons. */
export function evSummary(e: StoreEvent): string {
  return `${e.type} ${e.key} ${e.rv} ${e.object.metadata.resourceVersion}${e.prev ? ` prev=${e.prev.metadata.resourceVersion}` : ''}`;
}
