/** The diff layout the user last chose (unified or side by side), kept in localStorage. */
import { ref, watch } from 'vue';

export type DiffMode = 'unified' | 'split';
const KEY = 'kubesim.yaml.diffMode';

function read(): DiffMode {
  try {
    return localStorage.getItem(KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

export const diffMode = ref<DiffMode>(read());
watch(diffMode, (m) => {
  try {
    localStorage.setItem(KEY, m);
  } catch {
    // storage disabled: the choice lasts this session
  }
});
