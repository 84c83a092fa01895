import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  labelRequirement,
  labelSelectorError,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorObjectMatches,
  labelSelectorObjectToString,
  nothingLabelSelector,
  parseLabelSelector,
} from '../../../src-main/api/selectors';
import { statusOf } from '../status-of';

const NAME_PART_ERR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('label selector parsing', () => {
  it('accepts the upstream grammar', () => {
    for (const s of [
      '',
      'x=a,y=b,z=c',
      'x!=a,y=b',
      'x=',
      'x= ',
      'x=,z= ',
      'x==a',
      'x in (a)',
      'x in (a,b,c)',
      'x notin (a)',
      'x in ()',
      'x in (,a)',
      'x in (a,)',
      'x in (a,,b)',
      'x notin ()',
      'x>1',
      'x<1',
      'x',
      '!x',
      'x,y',
      '!x,!y',
      '  x  in  ( a , b )  ,  !y  ',
      'x\tin\t(a)',
      'example.com/app=web',
      'in in (in, notin)',
    ]) {
      expect(labelSelectorError(s), s).toBeUndefined();
    }
  });

  it('normalises the string form: sorted keys, sorted values, single spaces', () => {
    expect(parseLabelSelector('y=b,x=a').toString()).toBe('x=a,y=b');
    expect(parseLabelSelector('x in (c,a,b)').toString()).toBe('x in (a,b,c)');
    expect(parseLabelSelector('  x  notin  ( b , a )').toString()).toBe('x notin (a,b)');
    expect(parseLabelSelector('x==a,!y,z').toString()).toBe('x==a,!y,z');
    expect(parseLabelSelector('x>1,w<5').toString()).toBe('w<5,x>1');
    expect(parseLabelSelector('x in (a,a,b)').requirements[0].values).toEqual(['a', 'b']);
    expect(parseLabelSelector('x in ()').requirements[0].values).toEqual(['']);
    expect(parseLabelSelector('x in (a,,b)').requirements[0].values).toEqual(['', 'a', 'b']);
    expect(parseLabelSelector('').toString()).toBe('');
    expect(parseLabelSelector('').empty()).toBe(true);
  });

  it('matches as upstream Requirement.Matches', () => {
    const l = { app: 'web', tier: 'front', n: '5' };
    const m = (s: string, labels: Record<string, string> | null = l) => parseLabelSelector(s).matches(labels);
    expect(m('app=web')).toBe(true);
    expect(m('app==web')).toBe(true);
    expect(m('app=db')).toBe(false);
    expect(m('app!=db')).toBe(true);
    expect(m('missing!=x')).toBe(true);
    expect(m('app in (db,web)')).toBe(true);
    expect(m('app notin (db,web)')).toBe(false);
    expect(m('missing notin (a)')).toBe(true);
    expect(m('missing in (a)')).toBe(false);
    expect(m('app')).toBe(true);
    expect(m('!app')).toBe(false);
    expect(m('!missing')).toBe(true);
    expect(m('n>4')).toBe(true);
    expect(m('n>5')).toBe(false);
    expect(m('n<6')).toBe(true);
    expect(m('app>1')).toBe(false); // not an integer on the object
    expect(m('missing<100')).toBe(false);
    expect(m('app=web,tier=back')).toBe(false);
    expect(m('app=web,tier in (front)')).toBe(true);
    expect(m('app=', { app: '' })).toBe(true);
    expect(m('app=', {})).toBe(false);
    expect(m('', null)).toBe(true);
    expect(m('!app', null)).toBe(true);
    expect(m('app', null)).toBe(false);
  });

  it('answers requiresExactMatch', () => {
    const s = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5');
    expect(s.requiresExactMatch('a')).toBe('1');
    expect(s.requiresExactMatch('b')).toBe('2');
    expect(s.requiresExactMatch('c')).toBeUndefined();
    expect(s.requiresExactMatch('d')).toBeUndefined();
    expect(s.requiresExactMatch('e')).toBeUndefined();
  });

  it('rejects bad syntax with upstream messages as 400 BadRequest', () => {
    const cases: [string, string][] = [
      ['x in', "unable to parse requirement: found '' expected: '('"],
      ['x ~ y', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"],
      ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
      ['(', "found '(', expected: !, identifier, or 'end of string'"],
      ['a,', "found '', expected: identifier after ','"],
      ['a,,b', "found ',', expected: identifier after ','"],
      ['a=b c', "found 'c', expected: ',' or 'end of string'"],
      ['x=a=b', "found '=', expected: ',' or 'end of string'"],
      ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_ERR}`],
      ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
      ['!x=a', "found '=', expected: ',' or 'end of string'"],
      ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
      ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
      ['a=(', "unable to parse requirement: found '(', expected: identifier"],
      ['x>a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
      ['x>1.5', `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`],
      ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_ERR}`],
      ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${LABEL_VALUE_ERR}`],
      ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART_ERR}`],
      ['*bar', `unable to parse requirement: <nil>: Invalid value: "*bar": ${NAME_PART_ERR}`],
    ];
    for (const [sel, msg] of cases) {
      const e = statusOf(() => parseLabelSelector(sel));
      expect(e.code, sel).toBe(400);
      expect(e.reason, sel).toBe('BadRequest');
      expect(e.message, sel).toBe(msg);
      expect(labelSelectorError(sel)).toBe(msg);
    }
  });

  it('aggregates several value errors as [a, b]', () => {
    const e = statusOf(() => parseLabelSelector('x in (-a,-b)'));
    expect(e.message).toBe(
      `unable to parse requirement: [values[0][x]: Invalid value: "-a": ${LABEL_VALUE_ERR}, values[1][x]: Invalid value: "-b": ${LABEL_VALUE_ERR}]`,
    );
  });

  it('rejects values longer than 63 characters', () => {
    const long = 'a'.repeat(64);
    expect(labelSelectorError(`x=${long}`)).toBe(`unable to parse requirement: values[0][x]: Invalid value: "${long}": must be no more than 63 characters`);
  });
});

describe('metav1.LabelSelector objects', () => {
  it('converts matchLabels and matchExpressions to a matcher and a string', () => {
    const sel = {
      matchLabels: { app: 'nginx' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(labelSelectorObjectToString(sel)).toBe('app=nginx,!canary,env notin (prod),team,tier in (a,b)');
    const s = labelSelectorFromObject(sel);
    expect(s.matches({ app: 'nginx', tier: 'a', team: 'x' })).toBe(true);
    expect(s.matches({ app: 'nginx', tier: 'a', team: 'x', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'nginx', tier: 'a', team: 'x', canary: '' })).toBe(false);
    expect(s.matches({ app: 'nginx', tier: 'c', team: 'x' })).toBe(false);
    expect(s.matches({ app: 'nginx', tier: 'b' })).toBe(false);
    expect(labelSelectorObjectMatches(sel, { app: 'nginx', tier: 'b', team: '' })).toBe(true);
    expect(formatLabelSelector({ matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] })).toBe(
      'app=nginx,tier in (a,b)',
    );
  });

  it('treats null as nothing and {} as everything', () => {
    expect(labelSelectorFromObject(null).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromObject(null)).toBe(nothingLabelSelector());
    expect(labelSelectorFromObject({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
    expect(formatLabelSelector(null)).toBe('<none>');
    expect(formatLabelSelector({})).toBe('<none>');
  });

  it('rejects unknown operators and bad keys or values', () => {
    expect(statusOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).message).toBe(
      '"Gt" is not a valid label selector operator',
    );
    expect(statusOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).message).toBe(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(statusOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).message).toBe(
      `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
    );
    expect(statusOf(() => labelSelectorFromObject({ matchLabels: { 'a b': 'x' } })).message).toBe(`key: Invalid value: "a b": ${NAME_PART_ERR}`);
    expect(formatLabelSelector({ matchLabels: { a: '-x' } })).toBe('<error>');
    expect(labelSelectorObjectMatches({ matchLabels: { a: '-x' } }, { a: '-x' })).toBe(false);
  });

  it('builds selectors from sets and single requirements', () => {
    const s = labelSelectorFromSet({ b: '2', a: '1' });
    expect(s.toString()).toBe('a=1,b=2');
    expect(s.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(labelSelectorFromSet({}).empty()).toBe(true);
    const added = s.add(labelRequirement('0', 'exists'));
    expect(added.toString()).toBe('0,a=1,b=2');
    expect(statusOf(() => labelRequirement('a', 'in', [])).code).toBe(400);
  });
});
