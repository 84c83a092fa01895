/** Whether the palette or the shortcuts help is open (commands open them; the host shows them). */
import { ref } from 'vue';

export const paletteOpen = ref(false);
export const helpOpen = ref(false);

/** The host registers how to run the palette's commands outside a key press (tests, buttons). */
export function openPalette(): void {
  helpOpen.value = false;
  paletteOpen.value = true;
}

export function openHelp(): void {
  paletteOpen.value = false;
  helpOpen.value = true;
}
