/**
 * The cluster in an Electron utility process: the same CLI entry `kubesim serve` runs
 * (`out/cli/kubesim.mjs`), so the window's event loop never runs cluster work. This file only
 * adapts `utilityProcess` to the supervisor's ChildHandle (cluster-supervisor.ts does the rest).
 */
import { utilityProcess } from 'electron';
import type { ChildHandle } from './cluster-supervisor';

export function utilityProcessSpawner(cliPath: string): (args: string[]) => ChildHandle {
  return (args) => {
    const child = utilityProcess.fork(cliPath, ['serve', ...args], { stdio: 'pipe', serviceName: 'kubesim cluster' });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      requestStop: () => {
        // serve stops cleanly on SIGTERM (utilityProcess.kill() on POSIX) or on this message
        // (Windows, where kill() terminates at once). Only one of them: a second stop request
        // makes serve exit without its clean stop.
        if (process.platform === 'win32') child.postMessage({ type: 'kubesim:stop' });
        else child.kill();
      },
      forceKill: () => {
        const pid = child.pid;
        if (pid === undefined) return;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          child.kill();
        }
      },
      onExit: (cb) => {
        child.once('exit', cb);
      },
    };
  };
}
