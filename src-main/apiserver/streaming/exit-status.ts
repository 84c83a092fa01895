/**
 * What the error channel/stream says when an exec/attach session ends, as the kubelet writes it:
 * v4/v5 a metav1.Status (Success; Failure NonZeroExitCode with the exit code as the `ExitCode`
 * cause, which kubectl turns into `command terminated with exit code N`; InternalError for a
 * process that could not run); v1–v3 only the message text of a failure.
 */
import type { ContainerStreamExit } from '../node-connections';

export function exitStatusObject(exit: ContainerStreamExit, command: string[]): Record<string, unknown> {
  if ('exitCode' in exit) {
    if (exit.exitCode === 0) return { metadata: {}, status: 'Success' };
    return {
      metadata: {},
      status: 'Failure',
      message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exit.exitCode}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(exit.exitCode) }] },
    };
  }
  const detail = exit.error.startsWith('error executing command in container') ? exit.error : `error executing command in container: ${exit.error}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${detail}`,
    reason: 'InternalError',
    details: { causes: [{ message: detail }] },
    code: 500,
  };
}

/** The bytes for the error channel; empty when a v1–v3 session succeeded (nothing is written). */
export function exitStatusBytes(exit: ContainerStreamExit, command: string[], version: number): Buffer {
  const status = exitStatusObject(exit, command);
  if (version >= 4) return Buffer.from(JSON.stringify(status));
  if (status.status === 'Success') return Buffer.alloc(0);
  return Buffer.from(String(status.message));
}
