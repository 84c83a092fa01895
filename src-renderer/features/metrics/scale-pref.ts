/** The usage charts' axis choice, shared by the panels for the session ('usage': fit usage and requests). */
import { ref } from 'vue';

export const chartScale = ref<'usage' | 'all'>('usage');
