/**
 * containerd's texts for an exec the runtime could not start (`kubectl exec`, exec probes and
 * hooks): the runtime writes runc's part (`OCI runtime exec failed: exec failed: unable to start
 * container process: exec: "foo": executable file not found in $PATH: unknown`) on stderr with
 * exit code 127; containerd wraps it with the exec's id.
 */
import { randomBytes } from 'node:crypto';

/** `failed to exec in container: failed to start exec "<64 hex>": <runc's message>` */
export function execStartError(runtimeStderr: string): string {
  const line = runtimeStderr.split('\n').find((l) => l.includes('OCI runtime exec failed')) ?? runtimeStderr.trim();
  return `failed to exec in container: failed to start exec ${JSON.stringify(randomBytes(32).toString('hex'))}: ${line.trim()}`;
}

/** Whether the runtime's exit (127 + message) means the command could not be started at all. */
export function isExecStartFailure(exitCode: number, stderr: string): boolean {
  return exitCode === 127 && stderr.includes('OCI runtime exec failed');
}
