/** The renderer's pure log helpers: line splitting across chunks, timestamps, URLs, selectors, containers. */
import { describe, expect, it } from 'vitest';
import { LineSplitter, containerStarted, defaultContainer, logPath, selectorString, splitTimestamp, workloadPath } from '../../../src-renderer/api/logs';

describe('LineSplitter', () => {
  it('joins a line cut between chunks and holds back the unfinished tail', () => {
    const s = new LineSplitter();
    expect(s.push('first li')).toEqual([]);
    expect(s.push('ne\nsecond\nthi')).toEqual(['first line', 'second']);
    expect(s.push('rd\r\n\n')).toEqual(['third', '']);
    expect(s.push('last, no newline')).toEqual([]);
    expect(s.flush()).toEqual(['last, no newline']);
    expect(s.flush()).toEqual([]);
  });

  it('a multi-byte character split by the decoder stream still ends up whole', () => {
    const bytes = new TextEncoder().encode('héllo\nwörld\n');
    const dec = new TextDecoder();
    const s = new LineSplitter();
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i += 2) out.push(...s.push(dec.decode(bytes.subarray(i, i + 2), { stream: true })));
    expect(out).toEqual(['héllo', 'wörld']);
  });
});

describe('log helpers', () => {
  it('splits the RFC 3339 timestamp kubelet adds with timestamps=true', () => {
    expect(splitTimestamp('2026-11-23T16:40:00.123456789Z hello world')).toEqual({ time: '2026-11-23T16:40:00.123456789Z', text: 'hello world' });
    expect(splitTimestamp('no timestamp here')).toEqual({ text: 'no timestamp here' });
    expect(splitTimestamp('2026-11-23T16:40:00Z ')).toEqual({ time: '2026-11-23T16:40:00Z', text: '' });
  });

  it('builds pods/log URLs with only the options set', () => {
    expect(logPath('default', 'web-1')).toBe('/api/v1/namespaces/default/pods/web-1/log');
    expect(logPath('default', 'web-1', { container: 'nginx', follow: true, previous: true, timestamps: true, tailLines: 100, sinceSeconds: 60 })).toBe(
      '/api/v1/namespaces/default/pods/web-1/log?container=nginx&follow=true&previous=true&timestamps=true&tailLines=100&sinceSeconds=60',
    );
    expect(logPath('a b', 'p', { follow: false, tailLines: -1 })).toBe('/api/v1/namespaces/a%20b/pods/p/log');
  });

  it('workload paths by kind and selectors as labelSelector strings', () => {
    expect(workloadPath('default', 'deployments', 'web')).toBe('/apis/apps/v1/namespaces/default/deployments/web');
    expect(workloadPath('default', 'jobs', 'pi')).toBe('/apis/batch/v1/namespaces/default/jobs/pi');
    expect(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'track', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),env notin (dev),track,!legacy');
    expect(selectorString(undefined)).toBe('');
  });

  it('default container and whether a container has a log yet', () => {
    const pod = {
      metadata: { name: 'p', annotations: { 'kubectl.kubernetes.io/default-container': 'app' } },
      spec: { containers: [{ name: 'sidecar' }, { name: 'app' }] },
      status: { containerStatuses: [{ name: 'app', state: { running: {} } }, { name: 'sidecar', state: { waiting: { reason: 'ContainerCreating' } } }] },
    };
    expect(defaultContainer(pod)).toBe('app');
    expect(defaultContainer({ metadata: { name: 'q' }, spec: { containers: [{ name: 'one' }] } })).toBe('one');
    expect(containerStarted(pod, 'app')).toBe(true);
    expect(containerStarted(pod, 'sidecar')).toBe(false);
  });
});
