/**
 * What the user chose for the whole window: the namespace (empty: all namespaces) and the theme
 * (stored in localStorage; until chosen, the system's prefers-color-scheme, followed live).
 */
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';
import { effectiveTheme, otherTheme, parseTheme, THEME_KEY, type Theme } from '../util/theme';

const NAMESPACE_KEY = 'kubesim.namespace';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts this session
  }
}

export const useUiStore = defineStore('ui', () => {
  const namespace = ref(read(NAMESPACE_KEY) ?? '');
  watchEffect(() => write(NAMESPACE_KEY, namespace.value));

  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const systemDark = ref(media?.matches ?? false);
  media?.addEventListener('change', (e) => (systemDark.value = e.matches));
  const storedTheme = ref<Theme | undefined>(parseTheme(read(THEME_KEY)));
  const theme = computed(() => effectiveTheme(storedTheme.value, systemDark.value));
  watchEffect(() => {
    document.documentElement.dataset.theme = theme.value;
  });

  function toggleTheme(): void {
    storedTheme.value = otherTheme(theme.value);
    write(THEME_KEY, storedTheme.value);
  }

  return { namespace, theme, toggleTheme };
});
