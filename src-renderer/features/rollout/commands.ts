/**
 * The palette's "Scale…" and "Restart rollout…": they act on the object of the details page on
 * screen when it applies, otherwise the overlay (RolloutCommandHost) asks which workload first.
 */
import { shallowRef } from 'vue';
import type { Command, CommandContext } from '../../extensions/types';
import type { Target } from './api';
import { canScale, hasRollout, targetFromRoute } from './kinds';

export type CommandAction = 'scale' | 'restart';

export interface PendingCommand {
  action: CommandAction;
  /** Undefined: the user picks one. */
  target?: Target;
  /** The namespace switcher's value when the command ran ('' = all). */
  namespace: string;
}

export const pending = shallowRef<PendingCommand>();

export const applies: Record<CommandAction, (t: Target) => boolean> = {
  scale: (t) => canScale(t.resource),
  restart: (t) => hasRollout(t.resource),
};

function start(action: CommandAction, ctx: CommandContext): void {
  const route = ctx.router.currentRoute.value;
  const t = targetFromRoute(route.name, route.params);
  pending.value = { action, target: t && t.namespace && applies[action](t) ? t : undefined, namespace: ctx.namespace };
}

export const commands: Command[] = [
  { id: 'rollout.scale', title: 'Scale…', group: 'Workloads', run: (ctx) => start('scale', ctx) },
  { id: 'rollout.restart', title: 'Restart rollout…', group: 'Workloads', run: (ctx) => start('restart', ctx) },
];
