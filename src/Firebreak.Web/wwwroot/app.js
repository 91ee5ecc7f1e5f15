// Firebreak's pages are rendered on the server; this script only makes them live. It never builds HTML from
// data: it swaps in fragments the server rendered (and encoded), so untrusted text cannot become markup here.
'use strict';
(() => {
  const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

  async function fetchFragment(url, init) {
    const response = await fetch(url, { credentials: 'same-origin', ...init, headers: { 'X-Requested-With': 'fetch', ...(init?.headers ?? {}) } });
    if (response.status === 401) {
      location.reload(); // signed out meanwhile: the page will ask to sign in again
      return null;
    }
    return response.ok ? response.text() : null;
  }

  async function refresh(el) {
    if (el.dataset.busy) return;
    el.dataset.busy = '1';
    try {
      const html = await fetchFragment(el.dataset.refresh);
      if (html !== null) {
        el.innerHTML = html;
        el.dataset.refreshedAt = String(Date.now());
      }
    } catch {
      // Offline for a moment: the next tick tries again.
    } finally {
      delete el.dataset.busy;
    }
  }

  // Panels refresh on their own rhythm, and at once (at most every 2 s) when the live stream says something changed.
  for (const el of document.querySelectorAll('[data-refresh][data-every]')) {
    const every = Number(el.dataset.every) * 1000;
    if (every > 0) setInterval(() => { if (!document.hidden) refresh(el); }, every);
  }

  function debounced(fn, ms) {
    let timer = null;
    return () => { if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms); };
  }

  function listen(url, events, onEvent) {
    const source = new EventSource(url);
    for (const name of events) source.addEventListener(name, onEvent);
    window.addEventListener('pagehide', () => source.close());
  }

  const dash = document.querySelector('[data-live-source]');
  if (dash) {
    const mentions = debounced(() => document.querySelectorAll('[data-on="mention"]').forEach(refresh), 2000);
    listen(dash.dataset.liveSource, ['mention'], mentions);
  }
  const alertsSource = document.querySelector('[data-live-alerts]');
  if (alertsSource) {
    const alerts = debounced(() => document.querySelectorAll('[data-on="alert"]').forEach(refresh), 1000);
    const notice = debounced(() => {
      if (alertsSource.dataset.reloadOnAlert !== 'true' || document.getElementById('alerts-changed')) return;
      const bar = document.createElement('p');
      bar.id = 'alerts-changed';
      bar.className = 'banner';
      bar.setAttribute('role', 'status');
      const link = document.createElement('a');
      link.href = location.href;
      link.textContent = 'Alerts changed: show the latest';
      bar.append(link);
      alertsSource.append(bar);
    }, 500);
    listen(alertsSource.dataset.liveAlerts, ['alert', 'notification'], () => { alerts(); notice(); });
  }

  // The wellbeing shield: hostile text is fetched only when the reader asks for it.
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-reveal]');
    if (!button) return;
    const body = new FormData();
    body.append('__RequestVerificationToken', token());
    const html = await fetchFragment(button.dataset.reveal, { method: 'POST', body });
    const article = button.closest('article.mention');
    if (html !== null && article) {
      const holder = document.createElement('div');
      holder.innerHTML = html;
      const replacement = holder.firstElementChild;
      if (replacement) {
        article.replaceWith(replacement);
        replacement.querySelector('.text')?.setAttribute('tabindex', '-1');
        replacement.querySelector('.text')?.focus();
      }
    }
  });

  // Topic editor: the preview follows the query as it is typed.
  for (const area of document.querySelectorAll('textarea[data-preview]')) {
    const target = document.getElementById(area.dataset.previewTarget);
    let latest = 0;
    const update = debounced(async () => {
      const asked = ++latest;
      const html = await fetchFragment(`${area.dataset.preview}?q=${encodeURIComponent(area.value)}`);
      // A slower answer to an older query must not replace the preview of what is typed now.
      if (html !== null && target && asked === latest) target.innerHTML = html;
    }, 400);
    area.addEventListener('input', update);
  }

  // Time in the inbox counts towards the reader's daily exposure, only while the page is really in front of them.
  const beat = document.querySelector('[data-heartbeat]');
  if (beat) {
    setInterval(() => {
      if (document.hidden) return;
      const body = new FormData();
      body.append('__RequestVerificationToken', token());
      fetch(beat.dataset.heartbeat, { method: 'POST', body, credentials: 'same-origin' }).catch(() => {});
    }, 60000);
  }
})();
