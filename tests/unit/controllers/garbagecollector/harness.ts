/**
 * A controller under test against the real in-process API server (in-memory SQLite): the
 * controller gets a ControllerContext on its own informer factory and a FakeClock; the test
 * writes objects through an admin client and waits for the controller's writes.
 */
import { expect } from 'vitest';
import { R } from '../../../../src-main/client';
import type { ControllerDefinition } from '../../../../src-main/controllers/controller';
import type { KubeObject } from '../../../../src-main/api/types';
import { ControllerTestbed } from '../harness';

export const START = Date.parse('2026-01-01T00:00:00Z');

export class Harness extends ControllerTestbed {
  constructor() {
    super({ start: START });
  }

  async start(...defs: ControllerDefinition[]): Promise<this> {
    await this.ensureNamespaces('default', 'kube-system', 'kube-node-lease');
    await this.startControllers(defs);
    return this;
  }

  /** Lets the informers and workers run until `cond` holds (fails the test if it never does). */
  async until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (await cond()) return;
      await new Promise<void>((r) => setImmediate(r));
    }
    expect(await cond(), what).toBe(true);
  }

  /** Lets everything that is queued run for a while (for asserting that nothing happens). */
  async settle(rounds = 200): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Advances the fake clock in steps, letting work run between steps. */
  async advance(ms: number, step = 1000): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      await this.settle(20);
    }
  }

  async events(namespace = 'default'): Promise<KubeObject[]> {
    return (await this.admin.list(R.events, namespace)).items;
  }
}
