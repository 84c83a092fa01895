/** A `<details>` used as a drop-down menu closes on a click outside it and on Escape; call the returned function after a choice. */
import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export function useDropdown(el: Ref<HTMLDetailsElement | undefined>): () => void {
  const onPointer = (e: Event) => {
    const d = el.value;
    if (d?.open && !d.contains(e.target as Node)) d.open = false;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && el.value?.open) el.value.open = false;
  };
  onMounted(() => {
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
  });
  onBeforeUnmount(() => {
    document.removeEventListener('pointerdown', onPointer);
    document.removeEventListener('keydown', onKey);
  });
  return () => {
    if (el.value) el.value.open = false;
  };
}
