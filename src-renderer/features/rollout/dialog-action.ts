/**
 * The submit step the rollout dialogs share: one request at a time, `busy` while it runs, the
 * server's error message kept in `error`, and on success the dialog closes with a result line.
 */
import { ref, type Ref } from 'vue';

export interface DialogAction {
  busy: Ref<boolean>;
  error: Ref<string>;
  /** Runs `send`; on success closes with `result`, on failure shows the error. */
  run: (send: () => Promise<unknown>, result: string) => Promise<void>;
}

export function useDialogAction(close: (result?: string) => void): DialogAction {
  const busy = ref(false);
  const error = ref('');
  async function run(send: () => Promise<unknown>, result: string): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = '';
    try {
      await send();
      close(result);
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
