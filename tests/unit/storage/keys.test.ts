import { describe, expect, it } from 'vitest';
import { storageKey, storagePrefix } from '../../../src-main/storage/keys';

describe('storage keys', () => {
  it('builds keys and prefixes in the contract format', () => {
    expect(storageKey('', 'pods', 'default', 'web')).toBe('/registry/core/pods/default/web');
    expect(storageKey('apps', 'deployments', 'kube-system', 'coredns')).toBe('/registry/apps/deployments/kube-system/coredns');
    expect(storageKey('', 'nodes', undefined, 'worker-1')).toBe('/registry/core/nodes/worker-1');
    expect(storagePrefix('', 'pods')).toBe('/registry/core/pods/');
    expect(storagePrefix('', 'pods', 'default')).toBe('/registry/core/pods/default/');
  });

  it('keeps namespace prefixes apart and refuses slashes', () => {
    expect(storageKey('', 'pods', 'default2', 'a').startsWith(storagePrefix('', 'pods', 'default'))).toBe(false);
    expect(storageKey('', 'pods', 'default', 'a').startsWith(storagePrefix('', 'pods', 'default'))).toBe(true);
    expect(() => storageKey('', 'pods', 'default', 'a/b')).toThrow(/must not contain/);
    expect(() => storagePrefix('', 'pods', 'x/y')).toThrow(/must not contain/);
  });
});
