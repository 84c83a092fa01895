/**
 * Keyboard shortcuts: parsing bindings such as "g p", "ctrl+k", "mod+shift+a" or "?" (a sequence
 * of chords separated by spaces), turning a KeyboardEvent into a chord, and a matcher that
 * follows sequences as keys arrive (a pause longer than `timeoutMs` starts over).
 */

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
}

const NAMES: Record<string, string> = { esc: 'escape', return: 'enter', up: 'arrowup', down: 'arrowdown', left: 'arrowleft', right: 'arrowright', space: ' ', spacebar: ' ', del: 'delete' };
const ORDER = ['ctrl', 'alt', 'meta', 'shift'] as const;

/** A chord in canonical form: modifiers in a fixed order, then the key, joined by "+". */
export function normalizeChord(chord: string, mac = false): string {
  const parts = chord.toLowerCase().split('+');
  // "ctrl++" (the plus key): the empty tail is the key "+".
  let key = parts.pop() ?? '';
  if (key === '' && parts[parts.length - 1] === '') {
    parts.pop();
    key = '+';
  }
  key = NAMES[key] ?? key;
  const mods = new Set(parts.map((p) => (p === 'mod' ? (mac ? 'meta' : 'ctrl') : p === 'cmd' || p === 'command' ? 'meta' : p === 'control' ? 'ctrl' : p === 'option' ? 'alt' : p)));
  return [...ORDER.filter((m) => mods.has(m)), key].join('+');
}

/** "g p" → ["g", "p"]; chords normalized. */
export function parseBinding(binding: string, mac = false): string[] {
  return binding.trim().split(/\s+/).filter(Boolean).map((c) => normalizeChord(c, mac));
}

const MODIFIER_KEYS = new Set(['control', 'shift', 'alt', 'meta', 'os', 'capslock', 'altgraph']);

/**
 * The chord of a key press; undefined for a lone modifier. Shift is part of the chord only with
 * another modifier or a named key ("?" is typed with Shift but is just "?").
 */
export function chordOf(e: KeyLike): string | undefined {
  const key = e.key.toLowerCase();
  if (MODIFIER_KEYS.has(key) || key === 'dead' || key === 'unidentified') return undefined;
  const printable = e.key.length === 1;
  const mods: string[] = [];
  if (e.ctrlKey) mods.push('ctrl');
  if (e.altKey) mods.push('alt');
  if (e.metaKey) mods.push('meta');
  if (e.shiftKey && (!printable || e.ctrlKey || e.altKey || e.metaKey)) mods.push('shift');
  return [...mods, key].join('+');
}

/** How a binding reads for people: "Ctrl K", "⌘ K", "G then P". */
export function describeBinding(binding: string, mac = false): string[][] {
  return parseBinding(binding, mac).map((chord) =>
    chord.split('+').map((p) => {
      if (p === 'ctrl') return mac ? '⌃' : 'Ctrl';
      if (p === 'meta') return mac ? '⌘' : 'Meta';
      if (p === 'alt') return mac ? '⌥' : 'Alt';
      if (p === 'shift') return mac ? '⇧' : 'Shift';
      if (p === 'escape') return 'Esc';
      if (p === ' ') return 'Space';
      return p.length === 1 ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1);
    }),
  );
}

export type Feed<T> = { type: 'match'; value: T } | { type: 'pending' } | { type: 'none' };

/** Follows key sequences: feed each chord; a binding fires when its last chord arrives. */
export class SequenceMatcher<T> {
  private bindings: { chords: string[]; value: T }[] = [];
  private pending: string[] = [];
  private lastAt = 0;

  constructor(
    private readonly timeoutMs = 1200,
    private readonly mac = false,
  ) {}

  set(bindings: readonly { keys: string; value: T }[]): void {
    this.bindings = bindings.map((b) => ({ chords: parseBinding(b.keys, this.mac), value: b.value })).filter((b) => b.chords.length > 0);
    this.reset();
  }

  reset(): void {
    this.pending = [];
  }

  /** True while a sequence has started ("g" pressed, waiting for the next key). */
  get waiting(): boolean {
    return this.pending.length > 0;
  }

  feed(chord: string, now: number): Feed<T> {
    if (this.pending.length && now - this.lastAt > this.timeoutMs) this.pending = [];
    this.lastAt = now;
    const attempt = (seq: string[]): Feed<T> | undefined => {
      let prefix = false;
      for (const b of this.bindings) {
        if (b.chords.length < seq.length) continue;
        if (!seq.every((c, i) => b.chords[i] === c)) continue;
        if (b.chords.length === seq.length) return { type: 'match', value: b.value };
        prefix = true;
      }
      return prefix ? { type: 'pending' } : undefined;
    };
    let seq = [...this.pending, chord];
    let r = attempt(seq);
    // A key that breaks a started sequence may begin a new one.
    if (!r && this.pending.length) {
      seq = [chord];
      r = attempt(seq);
    }
    if (!r) {
      this.pending = [];
      return { type: 'none' };
    }
    this.pending = r.type === 'pending' ? seq : [];
    return r;
  }
}

interface ElementLike {
  closest(selector: string): unknown;
}

/** Where typed keys belong to the page: inputs, editors (CodeMirror), terminals (xterm). */
export const TYPING_SELECTOR = 'input, textarea, select, [contenteditable=""], [contenteditable="true"], .cm-editor, .xterm';

export function isTypingTarget(target: unknown): boolean {
  const el = target as ElementLike | null;
  return !!el && typeof el.closest === 'function' && !!el.closest(TYPING_SELECTOR);
}
