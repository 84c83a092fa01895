/**
 * rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding: stored only (no
 * enforcement). rbac/v1 defaults (roleRef and subject apiGroups), ValidateRole/RoleBinding wording,
 * roleRef immutability, and the tables (roles print NAME/CREATED AT like upstream's default
 * convertor; bindings ROLE and, wide, USERS/GROUPS/SERVICEACCOUNTS).
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateLabelSelector, validateMetaFor, deepEqual } from '../core/validation/meta';
import { nameIsPathSegment, isDNS1123Subdomain } from '../core/validation/names';
import { ageColumn, col, createdAtRow, nameColumn, nameOf, CREATED_AT_COLUMNS } from '../apps/util/printing';

type Obj = Record<string, unknown>;

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

function defaultSubjects(obj: KubeObject): void {
  for (const s of asArray(obj.subjects)) {
    if (!isObject(s) || (s.apiGroup !== undefined && s.apiGroup !== '')) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** SetDefaults_RoleBinding / ClusterRoleBinding / Subject. */
export function defaultBinding(obj: KubeObject): void {
  const ref = (isObject(obj.roleRef) ? obj.roleRef : (obj.roleRef = {})) as Obj;
  if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  defaultSubjects(obj);
}

function validatePolicyRule(r: unknown, path: string, namespaced: boolean): FieldError[] {
  const rule = asObject(r);
  const errs: FieldError[] = [];
  if (asArray(rule.verbs).length === 0) errs.push(fe.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const nonResource = asArray(rule.nonResourceURLs);
  if (nonResource.length > 0) {
    if (namespaced) errs.push(fe.invalid(`${path}.nonResourceURLs`, nonResource, 'namespaced rules cannot apply to non-resource URLs'));
    if (asArray(rule.apiGroups).length > 0 || asArray(rule.resources).length > 0 || asArray(rule.resourceNames).length > 0) {
      errs.push(fe.invalid(`${path}.nonResourceURLs`, nonResource, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (asArray(rule.apiGroups).length === 0) errs.push(fe.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (asArray(rule.resources).length === 0) errs.push(fe.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRoleObj(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced, nameFn: nameIsPathSegment });
  asArray(obj.rules).forEach((r, i) => errs.push(...validatePolicyRule(r, `rules[${i}]`, namespaced)));
  if (!namespaced && isObject(obj.aggregationRule)) {
    const sels = asArray(obj.aggregationRule.clusterRoleSelectors);
    if (sels.length === 0) errs.push(fe.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    sels.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

function validateSubject(s: unknown, path: string, namespaced: boolean): FieldError[] {
  const subject = asObject(s);
  const errs: FieldError[] = [];
  const name = typeof subject.name === 'string' ? subject.name : '';
  if (!name) errs.push(fe.required(`${path}.name`, ''));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name) for (const m of isDNS1123Subdomain(name)) errs.push(fe.invalid(`${path}.name`, name, m));
      if (subject.apiGroup !== '' && subject.apiGroup !== undefined) errs.push(fe.notSupported(`${path}.apiGroup`, subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(fe.required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errs.push(fe.notSupported(`${path}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(fe.notSupported(`${path}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBindingObj(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced, nameFn: nameIsPathSegment });
  const ref = asObject(obj.roleRef);
  if (ref.apiGroup !== RBAC_GROUP) errs.push(fe.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(String(ref.kind))) errs.push(fe.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  const rname = typeof ref.name === 'string' ? ref.name : '';
  if (!rname) errs.push(fe.required('roleRef.name', ''));
  else for (const m of nameIsPathSegment(rname, false)) errs.push(fe.invalid('roleRef.name', rname, m));
  asArray(obj.subjects).forEach((s, i) => errs.push(...validateSubject(s, `subjects[${i}]`, namespaced)));
  if (old && !deepEqual(obj.roleRef, old.roleRef)) errs.push(fe.invalid('roleRef', obj.roleRef, 'cannot change roleRef'));
  return errs;
}

/** rbac.SubjectsStrings: users, groups, and service accounts as `ns/name`. */
export function subjectsStrings(obj: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of asArray(obj.subjects).map(asObject)) {
    const name = typeof s.name === 'string' ? s.name : '';
    if (s.kind === 'ServiceAccount') sas.push(`${typeof s.namespace === 'string' ? s.namespace : ''}/${name}`);
    else if (s.kind === 'User') users.push(name);
    else if (s.kind === 'Group') groups.push(name);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingTable(what: string): ResourceDef['table'] {
  return {
    columns: [
      nameColumn(),
      col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.'),
      ageColumn(),
      col('Users', 'string', `Users in the ${what}`, 1),
      col('Groups', 'string', `Groups in the ${what}`, 1),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    row(obj, now) {
      const ref = asObject(obj.roleRef);
      return [nameOf(obj), `${String(ref.kind ?? '')}/${String(ref.name ?? '')}`, translateTimestampSince(obj.metadata.creationTimestamp, now), ...subjectsStrings(obj)];
    },
  };
}

const rolesTable: ResourceDef['table'] = { columns: CREATED_AT_COLUMNS, row: (obj) => createdAtRow(obj) };

export const rolesDef: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  validate: (obj, old) => validateRoleObj(obj, old, true),
  table: rolesTable,
};

export const clusterRolesDef: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  validate: (obj, old) => validateRoleObj(obj, old, false),
  table: rolesTable,
};

export const roleBindingsDef: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  default: defaultBinding,
  validate: (obj, old) => validateBindingObj(obj, old, true),
  table: bindingTable('roleBinding'),
};

export const clusterRoleBindingsDef: ResourceDef = {
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  default: defaultBinding,
  validate: (obj, old) => validateBindingObj(obj, old, false),
  table: bindingTable('clusterRoleBinding'),
};
