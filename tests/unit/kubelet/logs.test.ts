import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Node, T0 } from './harness';

let node: Node;
afterEach(async () => {
  await node?.stop();
});

describe('kubelet: container log files', () => {
  it('CRI format per restart: <dataDir>/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('tick', [{ name: 'app', command: ['tick', '1500', '2'] }]);
    await node.advance(3000, 500);
    const dir = join(node.dataDir, 'pods', `default_tick_${pod.metadata.uid}`, 'app');
    expect(readFileSync(join(dir, '0.log'), 'utf8')).toBe('2026-03-01T10:00:01.5Z stdout F tick 1\n2026-03-01T10:00:03Z stdout F tick 2\n');
    // Restarted (restartPolicy Always, exit 0): the next container writes 1.log.
    await node.advance(13_000, 500);
    expect(readFileSync(join(dir, '1.log'), 'utf8')).toMatch(/^2026-03-01T10:00:04\.5Z stdout F tick 1\n/);
  });

  it('a last line without a newline is written as a full line when the container ends', async () => {
    node = await new Node(true).start();
    const pod = await node.createPod('nonl', [{ name: 'app', command: ['nonl', 'no newline'] }], { restartPolicy: 'Never' });
    const file = join(node.dataDir, 'pods', `default_nonl_${pod.metadata.uid}`, 'app', '0.log');
    expect(readFileSync(file, 'utf8')).toBe('2026-03-01T10:00:00Z stdout F no newline\n');
    expect((await node.podLog('nonl')).text).toBe('no newline\n');
  });
});

describe('pods/log subresource', () => {
  it('serves the container log with tailLines, timestamps, limitBytes, sinceSeconds, previous', async () => {
    node = await new Node(true).start();
    await node.createPod('tick', [{ name: 'app', command: ['tick', '1000'] }]);
    await node.advance(5000);
    expect(await node.podLog('tick')).toEqual({ status: 200, text: 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n' });
    expect((await node.podLog('tick', { tailLines: '2' })).text).toBe('tick 4\ntick 5\n');
    expect((await node.podLog('tick', { tailLines: '0' })).text).toBe('');
    expect((await node.podLog('tick', { tailLines: '1', timestamps: 'true' })).text).toBe('2026-03-01T10:00:05.000000000Z tick 5\n');
    expect((await node.podLog('tick', { limitBytes: '10' })).text).toBe('tick 1\ntic');
    expect((await node.podLog('tick', { sinceSeconds: '2' })).text).toBe('tick 3\ntick 4\ntick 5\n');
    expect((await node.podLog('tick', { sinceTime: new Date(T0 + 4000).toISOString().replace('.000', '') })).text).toBe('tick 4\ntick 5\n');
    // A container that ended (exit 0) and was restarted: logs shows the current one, --previous the one before.
    await node.createPod('twice', [{ name: 'app', command: ['tick', '1000', '2'] }]);
    await node.advance(3000);
    expect((await node.podLog('twice')).text).toBe('tick 1\n');
    expect((await node.podLog('twice', { previous: 'true' })).text).toBe('tick 1\ntick 2\n');
  });

  it('in CrashLoopBackOff the last container\'s log is served; --previous too', async () => {
    node = await new Node(true).start();
    await node.createPod('crash', [{ name: 'app', command: ['print-exit', '1', 'boom'] }]);
    expect((await node.podLog('crash')).text).toBe('boom\n');
    expect((await node.podLog('crash', { previous: 'true' })).text).toBe('boom\n');
  });

  it('upstream errors: container choice, waiting containers, no previous container, bad options', async () => {
    node = await new Node(false).start();
    await node.createPod('two', [
      { name: 'a', command: ['sleep-forever'] },
      { name: 'b', command: ['sleep-forever'] },
    ], { initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['echo', 'x'] }] });
    const status = async (q: Record<string, string>) => {
      const r = await node.podLog('two', q);
      return `${r.body?.code} ${r.body?.reason}: ${r.body?.message}`;
    };
    expect(await status({})).toBe('400 BadRequest: a container name must be specified for pod two, choose one of: [init a b]');
    expect(await status({ container: 'c' })).toBe('400 BadRequest: container c is not valid for pod two');
    expect(await status({ container: 'a' })).toBe('400 BadRequest: container "a" in pod "two" is waiting to start: PodInitializing');
    expect(await status({ container: 'a', previous: 'true' })).toBe('400 BadRequest: previous terminated container "a" in pod "two" not found');
    expect(await status({ container: 'a', tailLines: '-1' })).toBe('422 Invalid: PodLogOptions "two" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    expect(await status({ container: 'a', limitBytes: '0' })).toBe('422 Invalid: PodLogOptions "two" is invalid: limitBytes: Invalid value: 0: must be greater than 0');
    await node.createPod('pull', [{ name: 'app', image: 'busybox:nope' }]);
    // Its pull waits for the one of busybox:1.36 (1.2 s), then the registry says no (0.5 s).
    await node.advance(2000, 100);
    const r = await node.podLog('pull');
    expect(r.body?.message).toBe('container "app" in pod "pull" is waiting to start: image can\'t be pulled');
    await node.advance(1000, 100);
    expect((await node.podLog('pull')).body?.message).toBe('container "app" in pod "pull" is waiting to start: trying and failing to pull image');
    expect((await node.podLog('nosuch')).body?.code).toBe(404);
  });

  it('follow streams new lines until the container ends', async () => {
    node = await new Node(true).start();
    await node.createPod('tick', [{ name: 'app', command: ['tick', '1000', '4'] }], { restartPolicy: 'Never' });
    await node.advance(2000);
    const res = await node.admin.raw({ method: 'GET', path: '/api/v1/namespaces/default/pods/tick/log', query: new URLSearchParams({ follow: 'true' }) });
    if (res.type !== 'stream') throw new Error(`expected a stream, got ${res.type}`);
    const chunks: string[] = [];
    let ended = false;
    res.stream.onData((c) => chunks.push(c));
    res.stream.onEnd(() => (ended = true));
    expect(chunks.join('')).toBe('tick 1\ntick 2\n');
    await node.advance(1000);
    expect(chunks.join('')).toBe('tick 1\ntick 2\ntick 3\n');
    expect(ended).toBe(false);
    await node.advance(1000);
    expect(chunks.join('')).toBe('tick 1\ntick 2\ntick 3\ntick 4\n');
    expect(ended).toBe(true);
  });

  it('follow ends when the reader goes away', async () => {
    node = await new Node(true).start();
    await node.createPod('tick', [{ name: 'app', command: ['tick', '1000'] }]);
    const ac = new AbortController();
    const res = await node.admin.raw({ method: 'GET', path: '/api/v1/namespaces/default/pods/tick/log', query: new URLSearchParams({ follow: 'true' }), signal: ac.signal });
    if (res.type !== 'stream') throw new Error('expected a stream');
    const chunks: string[] = [];
    let ended = false;
    res.stream.onData((c) => chunks.push(c));
    res.stream.onEnd(() => (ended = true));
    await node.advance(1000);
    ac.abort();
    expect(ended).toBe(true);
    await node.advance(2000);
    expect(chunks.join('')).toBe('tick 1\n');
  });

  it('a pod not bound to a node answers an empty log', async () => {
    node = await new Node(true).start();
    await node.admin.create({ group: '', version: 'v1', resource: 'pods' }, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'a', image: 'busybox' }] } });
    expect(await node.podLog('pending')).toEqual({ status: 200, text: '' });
  });
});
