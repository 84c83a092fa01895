/** Guided tutorials: `/tutorials` (the list) and `/tutorials/:id` (one, step by step); a sidebar entry and a command. */
import type { Extension } from '../../extensions/types';

export const extension: Extension = {
  routes: [
    { path: '/tutorials', name: 'tutorials', component: () => import('./TutorialsList.vue') },
    { path: '/tutorials/:id', name: 'tutorial', component: () => import('./TutorialView.vue') },
  ],
  nav: [{ id: 'tutorials', label: 'Tutorials', to: '/tutorials', order: 30 }],
  commands: [{ id: 'tutorials.open', title: 'Open tutorials', group: 'Go to', run: ({ router }) => router.push('/tutorials').then(() => undefined) }],
};
