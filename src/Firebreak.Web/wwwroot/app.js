// Live overview. Untrusted text (mentions, authors, topic names) only ever goes in via textContent.
'use strict';
const $ = (id) => document.getElementById(id);
let workspace = null;
let source = null;

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(url + ': ' + response.status);
  return response.json();
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function loadWorkspaces() {
  const list = await getJson('/api/workspaces');
  const select = $('workspace');
  select.replaceChildren(...list.map((w) => { const o = el('option', w.name); o.value = w.slug; return o; }));
  if (list.length > 0) { workspace = list[0].slug; select.value = workspace; start(); }
  select.addEventListener('change', () => { workspace = select.value; start(); });
}

async function drawChart() {
  const series = await getJson(`/api/workspaces/${encodeURIComponent(workspace)}/series?interval=minute`);
  const points = series.points;
  const max = Math.max(1, ...points.map((p) => p.count));
  const svg = $('chart');
  const w = 1200 / Math.max(1, points.length);
  const ns = 'http://www.w3.org/2000/svg';
  const bars = [];
  points.forEach((p, i) => {
    let y = 220;
    for (const [key, cls] of [['negative', '#d1453b'], ['neutral', '#8a94a6'], ['positive', '#2e9d5b'], ['unknown', '#5b7fd1']]) {
      const h = (p[key] / max) * 210;
      if (h <= 0) continue;
      y -= h;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * w)); rect.setAttribute('y', String(y));
      rect.setAttribute('width', String(Math.max(1, w - 1))); rect.setAttribute('height', String(h));
      rect.setAttribute('fill', cls);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${p.start}: ${p.count} mentions`;
      rect.appendChild(title);
      bars.push(rect);
    }
  });
  svg.replaceChildren(...bars);
  const total = await getJson(`/api/workspaces/${encodeURIComponent(workspace)}/series?interval=day&from=2000-01-01T00:00:00Z`).catch(() => null);
  if (total) $('total').textContent = total.points.reduce((s, p) => s + p.count, 0).toLocaleString() + ' mentions stored';
}

async function drawTopics() {
  const topics = await getJson(`/api/workspaces/${encodeURIComponent(workspace)}/topics`);
  const rows = await Promise.all(topics.map(async (t) => {
    const s = await getJson(`/api/workspaces/${encodeURIComponent(workspace)}/topics/${t.id}/series?interval=minute&from=${new Date(Date.now() - 3600e3).toISOString()}`);
    const tr = el('tr');
    tr.append(el('td', t.name), el('td', t.query, 'q'), el('td', String(s.points.reduce((a, p) => a + p.count, 0))));
    return tr;
  }));
  $('topics').tBodies[0].replaceChildren(...rows);
}

function start() {
  if (source) source.close();
  $('live').replaceChildren();
  source = new EventSource(`/api/workspaces/${encodeURIComponent(workspace)}/mentions/stream`);
  source.addEventListener('mention', (event) => {
    const m = JSON.parse(event.data);
    const li = el('li');
    li.dir = 'auto';
    li.append(el('span', `${m.platform} · ${m.language} · @${m.author.handle}`, 'meta'), el('span', m.text));
    const list = $('live');
    list.prepend(li);
    while (list.children.length > 200) list.lastChild.remove();
  });
  refresh();
}

async function refresh() {
  if (!workspace) return;
  try { await Promise.all([drawChart(), drawTopics()]); } catch (e) { console.warn(e); }
}

setInterval(refresh, 5000);
loadWorkspaces();
