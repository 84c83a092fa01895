/**
 * Controllers under test against the real in-process API server (in-memory SQLite), on their own
 * informer factory and a FakeClock. Tests write objects as the admin, act as kubelet/scheduler by
 * patching pod status and binding, and wait for the controllers' writes. Shared by the
 * StatefulSet, DaemonSet and volume controller tests.
 */
import { expect } from 'vitest';
import { R } from '../../../../src-main/client';
import type { ControllerDefinition } from '../../../../src-main/controllers/controller';
import type { KubeObject } from '../../../../src-main/api/types';
import { ControllerTestbed } from '../harness';

export const START = Date.parse('2026-01-01T00:00:00Z');

export class Harness extends ControllerTestbed {
  constructor(dataDir?: string) {
    super({ start: START, dataDir });
  }

  async start(...defs: ControllerDefinition[]): Promise<this> {
    await this.ensureNamespaces('default', 'kube-system');
    await this.startControllers(defs);
    return this;
  }

  /** Lets the informers and workers run until `cond` holds (fails the test if it never does). */
  async until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
    // At least 3000 turns of the event loop and 5 s of wall time (file I/O of the provisioner on a busy machine).
    const started = Date.now();
    for (let i = 0; i < 3000 || Date.now() - started < 5000; i++) {
      if (await cond()) return;
      await new Promise<void>((r) => setImmediate(r));
      if (i % 100 === 99 && i < 3000) this.clock.advance(50);
    }
    expect(await cond(), what).toBe(true);
  }

  /** Lets everything that is queued run for a while (for asserting that nothing more happens). */
  async settle(rounds = 300): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  async list(ref: (typeof R)[keyof typeof R], namespace = 'default'): Promise<KubeObject[]> {
    return (await this.admin.list(ref, ref === R.persistentvolumes || ref === R.nodes ? undefined : namespace)).items;
  }

  async names(ref: (typeof R)[keyof typeof R], namespace = 'default'): Promise<string[]> {
    return (await this.list(ref, namespace)).map((o) => o.metadata.name ?? '').sort();
  }

  /** `reason: message` of the events about `name`, oldest first. */
  async events(name?: string, namespace = 'default'): Promise<string[]> {
    const evs = (await this.admin.list(R.events, namespace)).items.filter((e) => !name || (e.involvedObject as { name?: string }).name === name);
    return evs.map((e) => `${e.type} ${e.reason}: ${e.message}`);
  }

  /** What the kubelet would report for a running, ready pod. */
  async makeReady(name: string, namespace = 'default', at = this.clock.now()): Promise<void> {
    const ts = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.admin.patchStatus(R.pods, namespace, name, {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ts, lastProbeTime: null }], startTime: ts },
    });
  }

  async setPhase(name: string, phase: string, namespace = 'default'): Promise<void> {
    await this.admin.patchStatus(R.pods, namespace, name, { status: { phase, conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null }] } });
  }
}
