import { describe, it, expect } from 'vitest';
import { fromForm, sameSettings, toForm, TIME_SCALE_MAX, TIME_SCALE_MIN } from '../../../src-renderer/features/settings/form';
import { MAX_TIME_SCALE, MIN_TIME_SCALE } from '../../../src-main/shared/ipc';
import * as cli from '../../../src-main/cli/args';

const s = { dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true };

describe('Settings page form', () => {
  it('empty fields mean the defaults (null); values are trimmed', () => {
    expect(toForm(s)).toEqual({ dataDir: '', apiPort: '', nodes: '2', timeScale: '1', mergeKubeconfig: true });
    expect(fromForm({ dataDir: '  /data/k ', apiPort: ' 16443', nodes: '4 ', timeScale: ' 10 ', mergeKubeconfig: false })).toEqual({ settings: { dataDir: '/data/k', apiPort: 16443, nodes: 4, timeScale: 10, mergeKubeconfig: false }, errors: [] });
    expect(fromForm(toForm(s)).settings).toEqual(s);
  });
  it('numbers must be whole and in range', () => {
    expect(fromForm({ ...toForm(s), apiPort: '12ab' })).toEqual({ errors: [{ field: 'apiPort', message: 'a whole number from 0 to 65535' }] });
    expect(fromForm({ ...toForm(s), apiPort: '70000', nodes: '-1' }).errors.map((e) => e.field)).toEqual(['apiPort', 'nodes']);
    expect(fromForm({ ...toForm(s), nodes: '2.5' }).settings).toBeUndefined();
    expect(fromForm({ ...toForm(s), nodes: '' }).errors).toEqual([{ field: 'nodes', message: 'a whole number from 0 to 1000' }]);
  });
  it('time scale: decimals (point or comma) from 0.1 to 100; empty means real time', () => {
    expect(toForm({ ...s, timeScale: 2.5 }).timeScale).toBe('2.5');
    expect(fromForm({ ...toForm(s), timeScale: '2.5' }).settings?.timeScale).toBe(2.5);
    expect(fromForm({ ...toForm(s), timeScale: '0,5' }).settings?.timeScale).toBe(0.5);
    expect(fromForm({ ...toForm(s), timeScale: '.1' }).settings?.timeScale).toBe(0.1);
    expect(fromForm({ ...toForm(s), timeScale: '100' }).settings?.timeScale).toBe(100);
    expect(fromForm({ ...toForm(s), timeScale: '' }).settings?.timeScale).toBe(1);
    for (const bad of ['0', '0.05', '101', '-1', 'fast', '1e2', 'Infinity', '10x']) {
      expect(fromForm({ ...toForm(s), timeScale: bad })).toEqual({ errors: [{ field: 'timeScale', message: 'a number from 0.1 to 100 (1 = real time)' }] });
    }
  });
  it('the form, the IPC map and kubesim serve agree on the time scale range', () => {
    expect([TIME_SCALE_MIN, TIME_SCALE_MAX]).toEqual([MIN_TIME_SCALE, MAX_TIME_SCALE]);
    expect([cli.MIN_TIME_SCALE, cli.MAX_TIME_SCALE]).toEqual([MIN_TIME_SCALE, MAX_TIME_SCALE]);
  });
  it('sameSettings compares every field', () => {
    expect(sameSettings(s, { ...s })).toBe(true);
    expect(sameSettings(s, { ...s, timeScale: 10 })).toBe(false);
    expect(sameSettings(s, { ...s, mergeKubeconfig: false })).toBe(false);
  });
});
