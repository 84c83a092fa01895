/** Non-local control flow of the shell (exit, return, break/continue) and trap names. */
import type { Signal } from '../program';

export class ExitSignal {
  constructor(readonly code: number) {}
}
export class ReturnSignal {
  constructor(readonly code: number) {}
}
export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

const TRAP_NAMES: Record<string, Signal | 'EXIT'> = {
  EXIT: 'EXIT',
  '0': 'EXIT',
  TERM: 'SIGTERM',
  '15': 'SIGTERM',
  INT: 'SIGINT',
  '2': 'SIGINT',
  QUIT: 'SIGQUIT',
  '3': 'SIGQUIT',
  HUP: 'SIGHUP',
  '1': 'SIGHUP',
  USR1: 'SIGUSR1',
  '10': 'SIGUSR1',
  USR2: 'SIGUSR2',
  '12': 'SIGUSR2',
};

export function trapKey(name: string): Signal | 'EXIT' | undefined {
  const n = name.toUpperCase().replace(/^SIG/, '');
  return TRAP_NAMES[n];
}

