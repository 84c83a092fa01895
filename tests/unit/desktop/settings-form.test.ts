import { describe, it, expect } from 'vitest';
import { fromForm, sameSettings, toForm } from '../../../src-renderer/features/settings/form';

const s = { dataDir: null, apiPort: null, nodes: 2, mergeKubeconfig: true };

describe('Settings page form', () => {
  it('empty fields mean the defaults (null); values are trimmed', () => {
    expect(toForm(s)).toEqual({ dataDir: '', apiPort: '', nodes: '2', mergeKubeconfig: true });
    expect(fromForm({ dataDir: '  /data/k ', apiPort: ' 16443', nodes: '4 ', mergeKubeconfig: false })).toEqual({ settings: { dataDir: '/data/k', apiPort: 16443, nodes: 4, mergeKubeconfig: false }, errors: [] });
    expect(fromForm(toForm(s)).settings).toEqual(s);
  });
  it('numbers must be whole and in range', () => {
    expect(fromForm({ ...toForm(s), apiPort: '12ab' })).toEqual({ errors: [{ field: 'apiPort', message: 'a whole number from 0 to 65535' }] });
    expect(fromForm({ ...toForm(s), apiPort: '70000', nodes: '-1' }).errors.map((e) => e.field)).toEqual(['apiPort', 'nodes']);
    expect(fromForm({ ...toForm(s), nodes: '2.5' }).settings).toBeUndefined();
    expect(fromForm({ ...toForm(s), nodes: '' }).errors).toEqual([{ field: 'nodes', message: 'a whole number from 0 to 1000' }]);
  });
  it('sameSettings compares every field', () => {
    expect(sameSettings(s, { ...s })).toBe(true);
    expect(sameSettings(s, { ...s, mergeKubeconfig: false })).toBe(false);
  });
});
