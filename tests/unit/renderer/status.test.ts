import { describe, expect, it } from 'vitest';
import { isStatusColumn, statusTone } from '../../../src-renderer/util/status';

describe('statusTone', () => {
  it('greens the healthy states', () => {
    for (const s of ['Running', 'Ready', 'Active', 'Bound', 'Complete', 'Completed', 'Succeeded']) expect(statusTone(s), s).toBe('ok');
  });
  it('yellows the states on their way', () => {
    for (const s of ['Pending', 'ContainerCreating', 'PodInitializing', 'Init:0/1', 'Init:1/2']) expect(statusTone(s), s).toBe('warn');
  });
  it('reds the failures, including init container failures and signals', () => {
    for (const s of ['Failed', 'Error', 'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'OOMKilled', 'Init:Error', 'Init:CrashLoopBackOff', 'Signal:9', 'ExitCode:1']) expect(statusTone(s), s).toBe('bad');
  });
  it('greys Terminating', () => {
    expect(statusTone('Terminating')).toBe('muted');
  });
  it('takes the worst part of a composite node status', () => {
    expect(statusTone('Ready,SchedulingDisabled')).toBe('warn');
    expect(statusTone('NotReady,SchedulingDisabled')).toBe('warn');
    expect(statusTone('Ready')).toBe('ok');
  });
  it('leaves unknown words and non-strings neutral', () => {
    expect(statusTone('Whatever')).toBe('neutral');
    expect(statusTone(3)).toBe('neutral');
    expect(statusTone(undefined)).toBe('neutral');
  });
  it('knows which columns carry statuses', () => {
    expect(isStatusColumn('Status')).toBe(true);
    expect(isStatusColumn('STATUS')).toBe(true);
    expect(isStatusColumn('Phase')).toBe(true);
    expect(isStatusColumn('Ready')).toBe(false);
  });
});
