/**
 * Shared state of the network feature: what the gateway offers (loaded once) and the active
 * port-forwards, polled every 2 s while any view shows them (ref-counted: `usePortForwards()`
 * in a component's setup holds a reference until it unmounts). Starting or stopping refreshes at once.
 */
import { onBeforeUnmount, readonly, ref } from 'vue';
import { getFeatures, listPortForwards, startPortForward, stopPortForward, type PortForward, type PortForwardRequest, type UiFeatures } from './ui-api';

const features = ref<UiFeatures>();
let featuresLoading: Promise<void> | undefined;

/** What the gateway offers; undefined until loaded (the first call starts loading). */
export function uiFeatures(): UiFeatures | undefined {
  featuresLoading ??= getFeatures()
    .then((f) => void (features.value = f))
    .catch(() => {
      featuresLoading = undefined; // try again on a later call (e.g. not signed in yet)
    });
  return features.value;
}

const POLL_MS = 2000;
const forwards = ref<PortForward[]>([]);
const loaded = ref(false);
const error = ref('');
let users = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<void> | undefined;

export function refreshForwards(): Promise<void> {
  inFlight ??= listPortForwards()
    .then((items) => {
      forwards.value = items;
      loaded.value = true;
      error.value = '';
    })
    .catch((e: unknown) => {
      error.value = e instanceof Error ? e.message : String(e);
    })
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

function schedule(): void {
  clearTimeout(timer);
  if (users === 0) return;
  timer = setTimeout(() => void refreshForwards().then(schedule), POLL_MS);
}

/** The live list of forwards while the calling component is mounted. */
export function usePortForwards() {
  users++;
  if (users === 1) void refreshForwards().then(schedule);
  onBeforeUnmount(() => {
    users--;
    if (users === 0) clearTimeout(timer);
  });
  return { forwards: readonly(forwards), loaded: readonly(loaded), error: readonly(error) };
}

export async function startForward(req: PortForwardRequest): Promise<PortForward> {
  const f = await startPortForward(req);
  await refreshForwards();
  return f;
}

export async function stopForward(id: string): Promise<void> {
  await stopPortForward(id);
  await refreshForwards();
}
