import { describe, expect, it } from 'vitest';
import {
  checkFieldSelector,
  escapeFieldValue,
  fieldSelectorFromSet,
  parseFieldSelector,
  unescapeFieldValue,
  unknownFieldSelectorMessage,
  unsupportedFieldSelector,
  unsupportedFieldSelectorMessage,
} from '../../../src-main/api/selectors';
import { statusOf } from '../status-of';

describe('field selector parsing', () => {
  it('parses =, == and != terms, sorted as upstream', () => {
    const s = parseFieldSelector('status.phase!=Running,metadata.name==web,spec.nodeName=n1');
    expect(s.requirements).toEqual([
      { field: 'metadata.name', operator: '==', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
    expect(s.toString()).toBe('metadata.name=web,spec.nodeName=n1,status.phase!=Running');
    expect(parseFieldSelector('').empty()).toBe(true);
    expect(parseFieldSelector(',,').empty()).toBe(true);
    expect(parseFieldSelector('a=').requirements).toEqual([{ field: 'a', operator: '=', value: '' }]);
  });

  it('handles escapes in values', () => {
    expect(parseFieldSelector('a=b\\,c').requirements[0].value).toBe('b,c');
    expect(parseFieldSelector('a=b\\=c').requirements[0].value).toBe('b=c');
    expect(parseFieldSelector('a=b\\\\c').requirements[0].value).toBe('b\\c');
    expect(parseFieldSelector('a=x\\,y,b=z').requirements).toEqual([
      { field: 'a', operator: '=', value: 'x,y' },
      { field: 'b', operator: '=', value: 'z' },
    ]);
    expect(parseFieldSelector('a=b\\,c').toString()).toBe('a=b\\,c');
    expect(escapeFieldValue('a\\b,c=d')).toBe('a\\\\b\\,c\\=d');
    expect(unescapeFieldValue(escapeFieldValue('a\\b,c=d'))).toBe('a\\b,c=d');
  });

  it('rejects bad selectors with upstream messages', () => {
    const cases: [string, string][] = [
      ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
      ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
      ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
      ['a==b,c', "invalid selector: 'a==b,c'; can't understand 'c'"],
      ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
      ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ];
    for (const [sel, msg] of cases) {
      const e = statusOf(() => parseFieldSelector(sel));
      expect(e.code, sel).toBe(400);
      expect(e.reason).toBe('BadRequest');
      expect(e.message, sel).toBe(msg);
    }
  });

  it('matches through a resolver or a field set; a missing field is ""', () => {
    const pod: Record<string, string> = { 'metadata.name': 'web', 'status.phase': 'Running' };
    const resolve = (f: string) => pod[f];
    expect(parseFieldSelector('metadata.name=web').matches(resolve)).toBe(true);
    expect(parseFieldSelector('metadata.name=db').matches(resolve)).toBe(false);
    expect(parseFieldSelector('status.phase!=Running').matches(resolve)).toBe(false);
    expect(parseFieldSelector('status.phase!=Pending,metadata.name=web').matches(pod)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=').matches(resolve)).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=').matches(resolve)).toBe(false);
    expect(parseFieldSelector('').matches(resolve)).toBe(true);
    expect(fieldSelectorFromSet({ 'metadata.name': 'web' }).matches(pod)).toBe(true);
  });

  it('answers requiresExactMatch and transforms', () => {
    const s = parseFieldSelector('metadata.name=web,spec.nodeName!=n1');
    expect(s.requiresExactMatch('metadata.name')).toBe('web');
    expect(s.requiresExactMatch('spec.nodeName')).toBeUndefined();
    const t = parseFieldSelector('spec.host=n1').transform((f, v) => [f === 'spec.host' ? 'spec.nodeName' : f, v]);
    expect(t.toString()).toBe('spec.nodeName=n1');
  });
});

describe('unsupported field selectors', () => {
  it('words the 400 as upstream does for each kind', () => {
    expect(unknownFieldSelectorMessage('foo.bar')).toBe('"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"');
    expect(unsupportedFieldSelectorMessage('networking.k8s.io', 'Ingress', 'foo.bar')).toBe(
      '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(unsupportedFieldSelectorMessage('', 'Pod', 'spec.foo')).toBe('field label not supported: spec.foo');
    expect(unsupportedFieldSelectorMessage('batch', 'Job', 'status.succeeded')).toBe('field label "status.succeeded" not supported for batchv1.Job');
    const e = unsupportedFieldSelector('apps', 'Deployment', 'spec.replicas');
    expect(e.code).toBe(400);
    expect(e.reason).toBe('BadRequest');
  });

  it('checks a selector against the fields a kind supports', () => {
    expect(() => checkFieldSelector(parseFieldSelector('metadata.name=a,metadata.namespace=b'), 'apps', 'Deployment')).not.toThrow();
    expect(() => checkFieldSelector(parseFieldSelector('spec.nodeName=n1'), '', 'Pod', ['spec.nodeName'])).not.toThrow();
    expect(statusOf(() => checkFieldSelector(parseFieldSelector('spec.foo=1'), '', 'Pod', ['spec.nodeName'])).message).toBe('field label not supported: spec.foo');
    expect(statusOf(() => checkFieldSelector(parseFieldSelector('metadata.namespace=x'), '', 'Node')).message).toBe(
      'field label not supported: metadata.namespace',
    );
  });
});
