import { createClient } from 'graphql-ws';
import LIVE_NOTIFICATIONS from './live-notifications.graphql';

/** As the server renders it (pages.ts): past 99 the header says "99+". */
const UNREAD_SHOWN = 99;

/**
 * Keeps the header's unread count up to date while the page is open: each notification to the person, as
 * `notificationAdded` delivers it over graphql-ws, adds one, and a screen reader hears that one arrived.
 *
 * The socket proves the sign-in with the session cookie the browser sends with the upgrade (the script cannot
 * read it: it is HttpOnly); the server takes it only from the pages' own origin (web-session.ts). Without
 * JavaScript, or without a socket, the count is the one the page was rendered with.
 */
export function startLiveNotifications(document: Document): void {
  const badge = document.querySelector<HTMLElement>('[data-unread-badge]');
  const count = badge?.querySelector<HTMLElement>('[data-unread-count]');
  const announcement = document.querySelector<HTMLElement>('[data-unread-announcement]');
  if (!badge || !count || !announcement || typeof WebSocket !== 'function') return;
  let unread = Number(count.dataset.unreadCount) || 0;

  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({
    url: url.href,
    retryAttempts: 5,
    // Says the count is live from here on (tests wait for it before raising a notification).
    on: { connected: () => (badge.dataset.live = 'connected') },
  });
  client.subscribe<{ notificationAdded: { id: string } }>(
    { query: LIVE_NOTIFICATIONS },
    {
      next: (result) => {
        if (!result.data?.notificationAdded) return;
        unread += 1;
        count.dataset.unreadCount = String(unread);
        count.textContent = unread > UNREAD_SHOWN ? `${UNREAD_SHOWN}+` : String(unread);
        badge.hidden = false;
        announcement.textContent = 'You have a new notification.';
      },
      // The count stays as it is: the page still works, and the next page load is up to date.
      error: () => undefined,
      complete: () => undefined,
    },
  );
  window.addEventListener('pagehide', () => void client.dispose());
}
