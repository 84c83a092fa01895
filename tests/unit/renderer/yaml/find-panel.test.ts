import { describe, expect, it } from 'vitest';
import { SearchQuery } from '@codemirror/search';
import { EditorSelection, EditorState } from '@codemirror/state';
import { countMatches, firstMatchFrom } from '../../../../src-renderer/features/yaml/cm/find-panel';

const doc = 'spec:\n  replicas: 1\nstatus:\n  readyReplicas: 1\n  Replicas: 1\n';
const state = (from = 0, to = from) => EditorState.create({ doc, selection: EditorSelection.single(from, to) });

describe('the YAML editor\'s find panel', () => {
  it('counts the matches and which one the selection covers (case-insensitive by default)', () => {
    const q = new SearchQuery({ search: 'replicas: 1' });
    const second = doc.indexOf('Replicas: 1', 20);
    expect(countMatches(state(), q)).toEqual([0, 3]);
    expect(countMatches(state(8, 19), q)).toEqual([1, 3]);
    expect(countMatches(state(second, second + 11), q)).toEqual([2, 3]);
    expect(countMatches(state(), new SearchQuery({ search: 'replicas: 1', caseSensitive: true }))).toEqual([0, 1]);
    expect(countMatches(state(), new SearchQuery({ search: '' }))).toEqual([0, 0]);
    expect(countMatches(state(), new SearchQuery({ search: '(', regexp: true }))).toEqual([0, 0]);
  });

  it('finds the first match from the cursor on, wrapping to the top', () => {
    const q = new SearchQuery({ search: 'replicas' });
    expect(firstMatchFrom(state(), q, 0)).toEqual({ from: 8, to: 16 });
    expect(firstMatchFrom(state(), q, 9)?.from).toBe(doc.indexOf('Replicas', 20));
    expect(firstMatchFrom(state(), q, doc.length)).toEqual({ from: 8, to: 16 });
    expect(firstMatchFrom(state(), new SearchQuery({ search: 'nope' }), 0)).toBeNull();
  });
});
