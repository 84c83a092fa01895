/**
 * A controller under test against the real API handler (in-memory store) on a FakeClock: the
 * server stamps times from the same clock, informers and queues run on it, and `settle()` lets
 * the in-flight async work finish.
 */
import type { KubeObject } from '../../../../src-main/api/types';
import { R, type KubeClient } from '../../../../src-main/client';
import type { ControllerDefinition } from '../../../../src-main/controllers/controller';
import { ControllerTestbed } from '../harness';

export const T0 = Date.parse('2026-03-01T10:00:00Z');

export class TestCluster extends ControllerTestbed {
  constructor(start = T0) {
    super({ start, informerLog: true });
  }

  /** The admin client the tests write with. */
  get client(): KubeClient {
    return this.admin;
  }

  /** Creates the `default` namespace (start() does it too): objects can be made before controllers run. */
  async prepare(): Promise<this> {
    await this.ensureNamespaces('default');
    return this;
  }

  async start(...defs: ControllerDefinition[]): Promise<this> {
    await this.prepare();
    await this.startControllers(defs);
    await this.settle();
    return this;
  }

  /** Lets pending promises, watch deliveries and due work run (no clock movement). */
  async settle(rounds = 60): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves the clock forward in steps, settling after each. */
  async advance(ms: number, step = 1000): Promise<void> {
    let left = ms;
    while (left > 0) {
      const d = Math.min(step, left);
      this.clock.advance(d);
      left -= d;
      await this.settle();
    }
  }

  async list(ref: typeof R.pods, ns = 'default'): Promise<KubeObject[]> {
    return (await this.client.list(ref, ns)).items;
  }

  /** Events as `Type Reason Message[ (xN)]` lines, oldest first, optionally for one object name. */
  async events(name?: string): Promise<string[]> {
    const evs = (await this.client.list(R.events, 'default')).items as (KubeObject & { involvedObject: { name: string }; type: string; reason: string; message: string; count?: number })[];
    return evs
      .filter((e) => name === undefined || e.involvedObject.name === name)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
      .map((e) => `${e.type} ${e.reason} ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  }
}
