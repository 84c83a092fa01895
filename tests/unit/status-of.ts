/** Runs `fn` and returns the StatusError it throws; fails the test if it throws nothing (or something else). */
import { StatusError } from '../../src-main/api/errors';

export function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}
