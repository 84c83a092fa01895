import { describe, expect, it } from 'vitest';
import { accessModesText, base64Bytes, containerStateText, resourceListText, selectorText, servicePortsText, utf8Bytes } from '../../../../src-renderer/features/describe/format';

describe('containerStateText', () => {
  it('words running, waiting and terminated states with their reason and exit code', () => {
    expect(containerStateText({ running: { startedAt: '2026-01-01T00:00:00Z' } })).toEqual({ text: 'Running', tone: 'ok' });
    expect(containerStateText({ waiting: { reason: 'ContainerCreating' } })).toEqual({ text: 'Waiting (ContainerCreating)', tone: 'warn' });
    expect(containerStateText({ waiting: { reason: 'CrashLoopBackOff' } })).toEqual({ text: 'Waiting (CrashLoopBackOff)', tone: 'bad' });
    expect(containerStateText({ terminated: { reason: 'Error', exitCode: 1 } })).toEqual({ text: 'Terminated (Error, exit code 1)', tone: 'bad' });
    expect(containerStateText({ terminated: { reason: 'Completed', exitCode: 0 } })).toEqual({ text: 'Terminated (Completed, exit code 0)', tone: 'muted' });
    expect(containerStateText({ terminated: { exitCode: 137, signal: 9 } })).toEqual({ text: 'Terminated (exit code 137, signal 9)', tone: 'bad' });
    expect(containerStateText(undefined)).toEqual({ text: 'Waiting', tone: 'warn' });
  });
});

describe('servicePortsText', () => {
  it("prints PORT(S) as kubectl get svc: port[:nodePort]/protocol, comma-joined", () => {
    expect(servicePortsText([{ port: 80, targetPort: 8080 }])).toBe('80/TCP');
    expect(servicePortsText([{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }])).toBe('80:30080/TCP,53/UDP');
    expect(servicePortsText([])).toBe('<none>');
    expect(servicePortsText(undefined)).toBe('<none>');
  });
});

describe('selectors, access modes, resource lists, sizes', () => {
  it('prints a LabelSelector with expressions as kubectl', () => {
    expect(selectorText({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }, { key: 'y', operator: 'Exists' }] })).toBe('app=web,tier in (a,b),!x,y');
    expect(selectorText({})).toBe('<none>');
  });
  it('abbreviates access modes', () => {
    expect(accessModesText(['ReadWriteOnce', 'ReadWriteMany'])).toBe('RWO,RWX');
    expect(accessModesText(undefined)).toBe('');
  });
  it('lists requests/limits sorted by name', () => {
    expect(resourceListText({ memory: '128Mi', cpu: '100m' })).toBe('cpu: 100m, memory: 128Mi');
    expect(resourceListText(undefined)).toBe('<none>');
  });
  it('counts UTF-8 and base64-decoded bytes', () => {
    expect(utf8Bytes('héllo')).toBe(6);
    expect(base64Bytes(Buffer.from('secret!').toString('base64'))).toBe(7);
    expect(base64Bytes(Buffer.from('ab').toString('base64'))).toBe(2);
    expect(base64Bytes('')).toBe(0);
  });
});
