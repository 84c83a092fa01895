import { describe, expect, it } from 'vitest';
import { findMatches } from '../../../../src-renderer/features/yaml/cm/search';

describe('find in the editor', () => {
  it('finds every case-insensitive match, without overlaps', () => {
    expect(findMatches('replicas: 1\nReadyReplicas: 1', 'replicas: 1')).toEqual([
      [0, 11],
      [17, 28],
    ]);
    expect(findMatches('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(findMatches('abc', '')).toEqual([]);
  });
});
