/**
 * The app-wide notification centre: one watch of the cluster's Warning events (`type=Warning`,
 * all namespaces) from the moment the app opened, fed into NoticeCenter; its state is reactive
 * (a version counter) for the bell and the toasts. The mute choice is kept in localStorage.
 */
import { computed, ref, shallowRef } from 'vue';
import { informer, type Informer } from '../../api/kube';
import type { KubeEvent } from '../../api/types';
import { NoticeCenter, type Notice } from './notices';

const MUTED_KEY = 'kubesim.notifications.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === 'true';
  } catch {
    return false;
  }
}

const center = new NoticeCenter({ openedAt: Date.now() });
center.setMuted(readMuted());
/** Bumped on every change of `center` (it is a plain object). */
const version = ref(0);
const bump = (): void => void version.value++;

let inf: Informer | undefined;
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

let delayed: ReturnType<typeof setTimeout> | undefined;
/**
 * The watch starts this long after the window opens: the first view's own lists and watches get
 * the browser's connections first (warnings that exist by then are the baseline, not toasts).
 */
export const START_DELAY_MS = 1500;

/** Starts the Warning events watch (once, for all users); pair with stop(). */
export function start(): void {
  if (users++ > 0) return;
  delayed = setTimeout(watchWarnings, START_DELAY_MS);
  timer = setInterval(() => {
    if (center.expire(Date.now())) bump();
  }, 500);
}

function watchWarnings(): void {
  delayed = undefined;
  inf = informer('/api/v1/events', { fieldSelector: 'type=Warning' }, {
    onSync(items) {
      if (center.baseline(items.map((i) => i.object as KubeEvent), Date.now()).length) bump();
    },
    onMore(items) {
      if (center.baseline(items.map((i) => i.object as KubeEvent), Date.now()).length) bump();
    },
    onEvent(ev) {
      if (ev.type === 'DELETED') return;
      if (center.observe(ev.item.object as KubeEvent, Date.now())) bump();
    },
    onState() {},
  });
}

export function stop(): void {
  if (--users > 0) return;
  clearTimeout(delayed);
  delayed = undefined;
  inf?.stop();
  inf = undefined;
  clearInterval(timer);
  timer = undefined;
}

export const muted = shallowRef(center.muted);

export function setMuted(m: boolean): void {
  center.setMuted(m);
  muted.value = m;
  try {
    localStorage.setItem(MUTED_KEY, String(m));
  } catch {
    // storage disabled: this session only
  }
  bump();
}

/** The notices, newest first (live). */
export const notices = computed<Notice[]>(() => (version.value, center.notices.map((n) => ({ ...n }))));
export const unread = computed(() => (version.value, center.unread));
/** The notices shown as toasts, newest first (live). */
export const toasts = computed<{ notice: Notice; shownAt: number }[]>(() => (
  version.value,
  center.toasts.flatMap((t) => {
    const n = center.notice(t.key);
    return n ? [{ notice: { ...n }, shownAt: t.shownAt }] : [];
  })
));

export function dismiss(key: string): void {
  center.dismiss(key);
  bump();
}

export function markAllRead(): void {
  center.markAllRead();
  bump();
}

export function clearAll(): void {
  center.clear();
  bump();
}

export const toastMs = center.toastMs;
