/**
 * The tutorials' progress for the whole window: one reactive map, read from localStorage once and
 * written back on every change (so it survives reloads).
 */
import { ref, type Ref } from 'vue';
import { parseProgress, PROGRESS_KEY, withoutTutorial, withStep, type Progress } from './progress';

let shared: Ref<Progress> | undefined;

function load(): Progress {
  try {
    return parseProgress(localStorage.getItem(PROGRESS_KEY));
  } catch {
    return {};
  }
}

function save(p: Progress): void {
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify(p));
  } catch {
    // storage disabled: progress lasts this session
  }
}

export function useProgress() {
  shared ??= ref(load());
  const progress = shared;
  const set = (p: Progress) => {
    progress.value = p;
    save(p);
  };
  return {
    progress,
    done: (tutorial: string) => new Set(progress.value[tutorial] ?? []),
    mark: (tutorial: string, step: string, done: boolean) => set(withStep(progress.value, tutorial, step, done)),
    markAll: (tutorial: string, steps: string[]) => set(steps.reduce((p, s) => withStep(p, tutorial, s, true), progress.value)),
    reset: (tutorial: string) => set(withoutTutorial(progress.value, tutorial)),
  };
}
