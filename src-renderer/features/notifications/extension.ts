/**
 * Notifications: Warning events of the whole cluster that arrive after the app opened pop up as
 * toasts (de-duplicated by object + reason) and collect under the bell in the top bar; pop-ups
 * can be muted (the bell still counts).
 */
import type { Extension } from '../../extensions/types';
import NotificationBell from './NotificationBell.vue';
import ToastStack from './ToastStack.vue';
import { muted, setMuted } from './center';

export const extension: Extension = {
  topbar: [NotificationBell],
  overlays: [ToastStack],
  commands: [
    {
      id: 'notifications.mute',
      title: 'Mute or unmute warning pop-ups',
      group: 'Notifications',
      run: () => setMuted(!muted.value),
    },
  ],
};
