import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  validateDNS1123Subdomain,
} from '../../../../src-main/api/core/validation/names';
import { validateLabelSelector, validateLabels, validateObjectMeta, validateObjectMetaUpdate, labelSelectorMatches } from '../../../../src-main/api/core/validation/meta';
import { canonicalQuantity, canonicalizeResourceList, compareQuantities, parseQuantity, quantityMilliValue, quantityValue } from '../../../../src-main/api/core/quantity';

describe('name validation (apimachinery wording)', () => {
  it('DNS-1123 subdomain', () => {
    expect(isDNS1123Subdomain('example.com')).toEqual([]);
    expect(validateDNS1123Subdomain('Foo', 'metadata.name').map(fieldErrorMessage)).toEqual([
      `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });

  it('DNS-1123 label', () => {
    expect(isDNS1123Label('my-name')).toEqual([]);
    expect(isDNS1123Label('a.b')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('qualified names and label values', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('-bad')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(isQualifiedName('a/b/c')[0]).toContain("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('has space')[0]).toContain('a valid label must be an empty string or consist of alphanumeric characters');
  });

  it('config keys', () => {
    expect(isConfigMapKey('key.name')).toEqual([]);
    expect(isConfigMapKey('a b')).toEqual([
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    expect(isConfigMapKey('..x')).toEqual(["must not start with '..'"]);
  });

  it('port names', () => {
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('this-is-way-too-long')).toEqual(['must be no more than 15 characters']);
  });
});

describe('ObjectMeta validation', () => {
  it('requires a name or generateName', () => {
    expect(validateObjectMeta({ namespace: 'default' }, { namespaced: true }).map(fieldErrorMessage)).toEqual(['metadata.name: Required value: name or generateName is required']);
  });
  it('accepts a generateName prefix ending in a dash', () => {
    expect(validateObjectMeta({ name: 'web-abcde', generateName: 'web-', namespace: 'default' }, { namespaced: true })).toEqual([]);
  });
  it('rejects a namespace on cluster-scoped kinds', () => {
    expect(validateObjectMeta({ name: 'n', namespace: 'x' }, { namespaced: false }).map(fieldErrorMessage)).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });
  it('reports bad labels at metadata.labels', () => {
    const errs = validateLabels({ 'bad key!': 'v', ok: 'bad value!' }, 'metadata.labels').map(fieldErrorMessage);
    expect(errs[0]).toMatch(/^metadata\.labels: Invalid value: "bad key!": name part must consist/);
    expect(errs[1]).toMatch(/^metadata\.labels: Invalid value: "bad value!": a valid label must be/);
  });
  it('name is immutable', () => {
    expect(validateObjectMetaUpdate({ name: 'b', namespace: 'd' }, { name: 'a', namespace: 'd' }).map(fieldErrorMessage)).toEqual(['metadata.name: Invalid value: "b": field is immutable']);
  });
  it('label selectors', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Bogus' }, { key: 'c', operator: 'Exists', values: ['x'] }] }, 'spec.selector').map(fieldErrorMessage);
    expect(errs).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector.matchExpressions[1].operator: Invalid value: "Bogus": not a valid selector operator',
      "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
    expect(labelSelectorMatches({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, { app: 'a', tier: 'web' })).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { app: 'a' } }, { app: 'b' })).toBe(false);
  });
});

describe('quantities', () => {
  it('canonical forms', () => {
    expect(canonicalQuantity('0.5')).toBe('500m');
    expect(canonicalQuantity('1000m')).toBe('1');
    expect(canonicalQuantity('1024Mi')).toBe('1Gi');
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity('1000')).toBe('1k');
    expect(canonicalQuantity('1500')).toBe('1500');
    expect(canonicalQuantity('128974848')).toBe('128974848');
    expect(canonicalQuantity('100Mi')).toBe('100Mi');
    expect(canonicalQuantity('512')).toBe('512');
    expect(canonicalQuantity('1e3')).toBe('1e3');
    expect(canonicalQuantity('0')).toBe('0');
  });
  it('resource lists round up to milli-units', () => {
    const l: Record<string, unknown> = { cpu: '0.0001', memory: '1Gi', bad: 'x y' };
    canonicalizeResourceList(l);
    expect(l).toEqual({ cpu: '1m', memory: '1Gi', bad: 'x y' });
  });
  it('values and comparison', () => {
    expect(quantityValue('1Gi')).toBe(1073741824);
    expect(quantityMilliValue('250m')).toBe(250);
    expect(compareQuantities('1', '999m')).toBe(1);
    expect(() => parseQuantity('abc')).toThrow(/quantities must match the regular expression/);
  });
});
