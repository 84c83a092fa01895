import { describe, it, expect } from 'vitest';
import { initialTracker, nextStatus, statusLabel, statusTooltip, type ClusterEvent } from '../../../src-main/desktop/cluster-status';

const run = (...events: ClusterEvent[]) => events.reduce(nextStatus, initialTracker());
const out = (line: string): ClusterEvent => ({ type: 'stdout', line });
const err = (line: string): ClusterEvent => ({ type: 'stderr', line });

describe('tray status from serve output', () => {
  it('stopped → starting → (API URL) → ready', () => {
    expect(run().status.state).toBe('stopped');
    expect(run({ type: 'spawn' }).status).toEqual({ state: 'starting', message: 'Starting the cluster…', apiUrl: null });
    expect(run({ type: 'spawn' }, out('API server: https://127.0.0.1:40123')).status).toEqual({ state: 'starting', message: 'Starting the cluster…', apiUrl: 'https://127.0.0.1:40123' });
    const ready = run({ type: 'spawn' }, out('API server: https://127.0.0.1:40123'), out('UI: http://127.0.0.1:40124/?s=x'), out('ready'));
    expect(ready.status).toEqual({ state: 'ready', message: 'The cluster is running', apiUrl: 'https://127.0.0.1:40123' });
  });

  it("only serve's exact lines count (a log line that mentions ready does not)", () => {
    expect(run({ type: 'spawn' }, out('kubesim: not ready yet'), err('ready')).status.state).toBe('starting');
  });

  it("exit before ready: error with serve's last diagnostic", () => {
    const s = run({ type: 'spawn' }, err('kubesim: data dir /d'), err('kubesim: port 6443 on 127.0.0.1 is in use; pass another --api-port (0 picks a free port)'), { type: 'exit', code: 1, requested: false });
    expect(s.status).toEqual({ state: 'error', message: 'The cluster could not start (exit code 1): port 6443 on 127.0.0.1 is in use; pass another --api-port (0 picks a free port)', apiUrl: null });
  });

  it('exit after ready that nobody asked for: error; asked for: stopping → stopped', () => {
    const ready = run({ type: 'spawn' }, out('API server: https://127.0.0.1:1'), out('ready'));
    expect(nextStatus(ready, { type: 'exit', code: 134, requested: false }).status).toEqual({ state: 'error', message: 'The cluster stopped unexpectedly (exit code 134)', apiUrl: null });
    const stopping = nextStatus(ready, { type: 'stopping' });
    expect(stopping.status.state).toBe('stopping');
    expect(nextStatus(stopping, { type: 'exit', code: 0, requested: true }).status).toEqual({ state: 'stopped', message: 'The cluster stopped', apiUrl: null });
    expect(nextStatus(stopping, { type: 'exit', code: 1, requested: true }).status.message).toBe('The cluster stopped (exit code 1)');
  });

  it('labels and tooltip (tray tooltips are short)', () => {
    const ready = run({ type: 'spawn' }, out('API server: https://127.0.0.1:40123'), out('ready')).status;
    expect(statusLabel(ready)).toBe('Cluster ready');
    expect(statusTooltip(ready)).toBe('kubesim — Cluster ready\nAPI server https://127.0.0.1:40123');
    const e = run({ type: 'spawn' }, err(`kubesim: ${'x'.repeat(300)}`), { type: 'exit', code: 1, requested: false }).status;
    expect(statusLabel(e)).toBe('Cluster error');
    expect(statusTooltip(e).length).toBeLessThanOrEqual(127);
  });
});
