import { describe, expect, it } from 'vitest';
import { chordOf, describeBinding, isTypingTarget, normalizeChord, parseBinding, SequenceMatcher } from '../../../../src-renderer/features/palette/keys';

describe('key bindings', () => {
  it('parses sequences and chords into one canonical form', () => {
    expect(parseBinding('g p')).toEqual(['g', 'p']);
    expect(parseBinding('Ctrl+Shift+A')).toEqual(['ctrl+shift+a']);
    expect(parseBinding('shift+ctrl+a')).toEqual(['ctrl+shift+a']);
    expect(parseBinding('mod+k')).toEqual(['ctrl+k']);
    expect(parseBinding('mod+k', true)).toEqual(['meta+k']);
    expect(parseBinding('cmd+k')).toEqual(['meta+k']);
    expect(normalizeChord('esc')).toBe('escape');
    expect(normalizeChord('ctrl++')).toBe('ctrl++');
    expect(parseBinding('  ')).toEqual([]);
  });
  it('turns key presses into chords; Shift only counts with another modifier or a named key', () => {
    expect(chordOf({ key: '?', shiftKey: true })).toBe('?');
    expect(chordOf({ key: 'K', ctrlKey: true, shiftKey: true })).toBe('ctrl+shift+k');
    expect(chordOf({ key: 'k', metaKey: true })).toBe('meta+k');
    expect(chordOf({ key: 'Enter', shiftKey: true })).toBe('shift+enter');
    expect(chordOf({ key: 'Shift', shiftKey: true })).toBeUndefined();
    expect(chordOf({ key: 'Control', ctrlKey: true })).toBeUndefined();
    expect(chordOf({ key: 'G' , shiftKey: true })).toBe('g');
  });
  it('describes bindings for people', () => {
    expect(describeBinding('g p')).toEqual([['G'], ['P']]);
    expect(describeBinding('mod+k')).toEqual([['Ctrl', 'K']]);
    expect(describeBinding('mod+k', true)).toEqual([['⌘', 'K']]);
    expect(describeBinding('esc')).toEqual([['Esc']]);
  });
});

describe('sequence matcher', () => {
  const m = new SequenceMatcher<string>(1000);
  m.set([
    { keys: 'g p', value: 'pods' },
    { keys: 'g d', value: 'deployments' },
    { keys: '?', value: 'help' },
    { keys: 'ctrl+k', value: 'palette' },
    { keys: '', value: 'never' },
  ]);

  it('fires a binding when its last key arrives', () => {
    expect(m.feed('g', 0)).toEqual({ type: 'pending' });
    expect(m.waiting).toBe(true);
    expect(m.feed('p', 100)).toEqual({ type: 'match', value: 'pods' });
    expect(m.waiting).toBe(false);
    expect(m.feed('?', 200)).toEqual({ type: 'match', value: 'help' });
    expect(m.feed('ctrl+k', 300)).toEqual({ type: 'match', value: 'palette' });
  });
  it('starts over after a pause, or on a key that fits nothing', () => {
    m.feed('g', 0);
    expect(m.feed('p', 5000)).toEqual({ type: 'none' });
    m.feed('g', 6000);
    expect(m.feed('x', 6100)).toEqual({ type: 'none' });
    expect(m.feed('d', 6200)).toEqual({ type: 'none' });
  });
  it('a key that breaks a sequence may start another', () => {
    m.feed('g', 0);
    expect(m.feed('?', 10)).toEqual({ type: 'match', value: 'help' });
    m.feed('g', 20);
    expect(m.feed('g', 30)).toEqual({ type: 'pending' });
    expect(m.feed('d', 40)).toEqual({ type: 'match', value: 'deployments' });
  });
  it('reset drops a started sequence', () => {
    m.feed('g', 0);
    m.reset();
    expect(m.feed('p', 10)).toEqual({ type: 'none' });
  });
});

describe('typing targets', () => {
  const el = (matches: string[]) => ({ closest: (sel: string) => (sel.split(', ').some((s) => matches.includes(s)) ? {} : null) });
  it('inputs, editors and terminals keep their keys', () => {
    expect(isTypingTarget(el(['input']))).toBe(true);
    expect(isTypingTarget(el(['.cm-editor']))).toBe(true);
    expect(isTypingTarget(el(['.xterm']))).toBe(true);
    expect(isTypingTarget(el([]))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({})).toBe(false);
  });
});
