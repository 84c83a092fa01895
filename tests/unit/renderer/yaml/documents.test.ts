import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../../../src-renderer/features/yaml/documents';

describe('splitDocuments', () => {
  it('splits on --- with each document\'s lines in the whole text, skipping empty ones', () => {
    const text = ['# a comment', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: a', '---', '# only a comment', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', '---', ''].join('\n');
    const { docs } = splitDocuments(text);
    expect(docs.map((d) => [d.index, d.startLine, d.endLine])).toEqual([
      [0, 2, 6],
      [1, 9, 13],
    ]);
    expect(docs[1].value).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
  });
  it('locates syntax errors at their line', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: x', ' bad: [', ''].join('\n');
    const { docs } = splitDocuments(text);
    expect(docs).toHaveLength(2);
    expect(docs[0].errors).toEqual([]);
    expect(docs[1].errors.length).toBeGreaterThan(0);
    expect(docs[1].errors[0].line).toBe(8);
    expect(docs[1].errors[0].message).not.toContain('\n');
    expect(docs[1].value).toBeUndefined();
  });
  it('a tab indentation is an error at its line', () => {
    const { docs } = splitDocuments('a: 1\nb:\n\t- x\n');
    expect(docs[0].errors[0].line).toBe(3);
  });
  it('nothing at all: no documents', () => {
    expect(splitDocuments('').docs).toEqual([]);
    expect(splitDocuments('# nothing\n---\n').docs).toEqual([]);
  });
});
