/** A reactive clock for AGE columns: ticks every `intervalMs` while the component lives. */
import { onMounted, onUnmounted, ref, type Ref } from 'vue';

export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), intervalMs);
  });
  onUnmounted(() => clearInterval(timer));
  return now;
}
