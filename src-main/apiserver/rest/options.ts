/**
 * Query options every write understands: dryRun, fieldManager, fieldValidation, and the warnings
 * a request collects on its way (sent back as `Warning:` headers).
 */
import { badRequest } from '../../api/errors';
import type { ApiRequest } from '../types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  userAgent: string;
  warnings: string[];
  force: boolean;
  /** Set by server-side apply, which records managedFields itself. */
  applied?: boolean;
}

export function defaultManagerFromUserAgent(ua: string | undefined): string {
  if (!ua) return 'unknown';
  const first = ua.split('/')[0].trim();
  return first || 'unknown';
}

export function writeOptions(req: ApiRequest): WriteOptions {
  const q = req.query;
  const dry = q.getAll('dryRun');
  for (const d of dry) {
    if (d !== 'All' && d !== '') throw badRequest(`Invalid dry run value: "${d}": supported values: "All"`);
  }
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fv}"`);
  }
  const fm = q.get('fieldManager');
  if (fm !== null && (fm.length === 0 || fm.length > 128)) {
    throw badRequest('fieldManager: Invalid value: must be between 1 and 128 characters long');
  }
  const force = q.get('force');
  return {
    dryRun: dry.includes('All'),
    fieldManager: fm ?? defaultManagerFromUserAgent(req.headers['user-agent']),
    fieldValidation: fv,
    userAgent: req.headers['user-agent'] ?? '',
    warnings: [],
    force: force === 'true' || force === '1',
  };
}
