import { describe, expect, it } from 'vitest';
import { changedLines, lineDiff, unifiedDiff } from '../../../../src-renderer/features/rollout/diff';
import { templateYaml, templatesEqual } from '../../../../src-renderer/features/rollout/template';
import { template } from './fixtures';

describe('template YAML and its diff', () => {
  it('prints a normalised template with name and image first, no hash label, no nulls or empty maps', () => {
    expect(templateYaml(template('nginx:1.25', 'abc') as never)).toBe(
      [
        'metadata:',
        '  labels:',
        '    app: web',
        'spec:',
        '  containers:',
        '    - name: nginx',
        '      image: nginx:1.25',
        '      imagePullPolicy: IfNotPresent',
        '      terminationMessagePath: /dev/termination-log',
        '  dnsPolicy: ClusterFirst',
        '  restartPolicy: Always',
        '',
      ].join('\n'),
    );
  });

  it('treats templates differing only by hash label, nulls or $patch as equal', () => {
    expect(templatesEqual(template('a', 'h1') as never, { $patch: 'replace', ...template('a') } as never)).toBe(true);
    expect(templatesEqual(template('a') as never, template('b') as never)).toBe(false);
  });

  it('diffs two revisions: only the image line differs', () => {
    const a = templateYaml(template('nginx:1.25', 'aaa') as never);
    const b = templateYaml(template('nginx:1.26', 'bbb') as never);
    expect(changedLines(a, b)).toEqual(['- image: nginx:1.25', '+ image: nginx:1.26']);
    expect(lineDiff(a, a).every((l) => l.op === ' ')).toBe(true);
    expect(unifiedDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\ne\nf\ng\nX\n', 'revision 1', 'revision 2', 1)).toBe('--- revision 1\n+++ revision 2\n@@\n g\n-h\n+X\n');
  });

  it('handles insertions and deletions', () => {
    expect(lineDiff('a\nc\n', 'a\nb\nc\n')).toEqual([
      { op: ' ', text: 'a' },
      { op: '+', text: 'b' },
      { op: ' ', text: 'c' },
    ]);
    expect(changedLines('a\nb\n', '')).toEqual(['- a', '- b']);
  });
});
