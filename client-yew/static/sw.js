// AnKhangCRM service worker: shows Web Push notifications and opens the app on click.
// Served from the site root (/sw.js) so its scope covers every page of the app.
'use strict';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (_) {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'AnKhangCRM';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      icon: '/favicon.svg',
      lang: 'vi',
      // The same delivery sent twice (a retry) replaces itself instead of piling up.
      tag: data.tag || undefined,
      data: { url: data.url || '/' },
    })
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  // Only paths inside this app are opened, never another site.
  const path = (event.notification.data && event.notification.data.url) || '/';
  let target = new URL(path, self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL('/', self.location.origin);
  }
  target = target.href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin) {
          await client.focus();
          // navigate() works only on pages this worker controls.
          try {
            return await client.navigate(target);
          } catch (_) {
            return self.clients.openWindow(target);
          }
        }
      }
      return self.clients.openWindow(target);
    })()
  );
});
