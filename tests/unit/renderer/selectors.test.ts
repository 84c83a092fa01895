import { describe, expect, it } from 'vitest';
import { nameFieldSelector, normalizeSelector, selectorFromLabels } from '../../../src-renderer/util/selectors';

describe('selectors', () => {
  it('drops the spaces people type around commas and operators', () => {
    expect(normalizeSelector('  app = web , tier!=db ')).toBe('app=web,tier!=db');
    expect(normalizeSelector('app==web')).toBe('app==web');
    expect(normalizeSelector('env in ( prod , qa ),!canary')).toBe('env in (prod,qa),!canary');
    expect(normalizeSelector('')).toBe('');
  });
  it('leaves what it cannot fix for the server to refuse', () => {
    expect(normalizeSelector('app in (web')).toBe('app in (web');
  });
  it('builds an equality selector from labels', () => {
    expect(selectorFromLabels({ app: 'web', tier: 'db' })).toBe('app=web,tier=db');
    expect(selectorFromLabels(undefined)).toBe('');
  });
  it('selects one object by name', () => {
    expect(nameFieldSelector('web-1')).toBe('metadata.name=web-1');
  });
});
