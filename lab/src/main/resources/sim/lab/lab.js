// The live lab: drives a session on the server (./sim ui) and draws its timeline with the shared diagram.
// Every fault you click is a plan item; the server replays seed + plan, so what you see is what ./sim run replays.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const h = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const lab = { scenarios: [], session: null, view: null, trace: null, diagram: null, source: null, feedCount: 0, partition: null };
  window.simLab = lab;

  async function api(method, path, body) {
    const r = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    const data = text ? JSON.parse(text) : {};
    if (!r.ok) throw new Error(data.error || (r.status + ' ' + r.statusText));
    return data;
  }

  function notify(text, isError) {
    const n = $('notice'); n.textContent = text || ''; n.className = isError ? 'error' : '';
  }

  async function guarded(work) {
    try { return await work(); } catch (e) { notify(e.message, true); return null; }
  }

  // ---- scenario picker ----

  async function loadScenarios() {
    lab.scenarios = await api('GET', '/api/scenarios');
    const systems = [...new Set(lab.scenarios.map((s) => s.system))];
    $('system').replaceChildren(...systems.map((s) => { const o = h('option', s); o.value = s; return o; }));
    $('system').addEventListener('change', fillScenarios);
    $('scenario').addEventListener('change', showStory);
    fillScenarios();
  }

  function fillScenarios() {
    const list = lab.scenarios.filter((s) => s.system === $('system').value);
    $('scenario').replaceChildren(...list.map((s) => { const o = h('option', s.name); o.value = s.name; o.title = s.summary; return o; }));
    showStory();
  }

  function selectScenario(name) {
    const s = lab.scenarios.find((x) => x.name === name);
    if (!s) return false;
    $('system').value = s.system; fillScenarios(); $('scenario').value = name; showStory();
    return true;
  }

  function showStory() {
    const s = lab.scenarios.find((x) => x.name === $('scenario').value);
    $('story').textContent = s ? s.summary + ' — ' + s.explanation + (s.faults ? ' Faults: ' + s.faults : '') : '';
  }

  // ---- session ----

  async function start(faults, rewindTo) {
    const body = { scenario: $('scenario').value, seed: Number($('seed').value) };
    if (faults !== undefined) body.faults = faults; else if (!$('own-faults').checked) body.faults = '';
    const created = await guarded(() => api('POST', '/api/sessions', body));
    if (!created) return;
    if (lab.source) lab.source.close();
    lab.session = created.id;
    lab.view = created;
    lab.feedCount = 0;
    $('feed').textContent = '';
    fillInspectors(created.inspectors || []);
    if (rewindTo !== undefined && rewindTo > 0) await guarded(() => api('POST', path('rewind'), { index: rewindTo - 1 }));
    connect();
    notify('session ' + created.id + ': ' + created.scenario + ' seed ' + created.seed);
  }

  const path = (verb) => '/api/sessions/' + lab.session + '/' + verb;

  function connect() {
    const es = new EventSource(path('stream'));
    lab.source = es;
    es.addEventListener('update', (m) => onUpdate(JSON.parse(m.data)));
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) notify('lost the connection to the lab server', true); };
  }

  function onUpdate(u) {
    if (u.reset || !lab.trace) {
      lab.trace = new SimTrace(u.view.nodes.map((n) => n.name));
      lab.feedCount = 0;
      $('feed').textContent = '';
      if (!lab.diagram) {
        lab.diagram = new SimDiagram($('diagram'), lab.trace, { live: true, onSelect, onLaneClick, laneStatus });
        lab.diagram.follow = true;
      } else {
        const keep = lab.diagram.selected >= 0 ? lab.diagram.trace.i[lab.diagram.selected] : -1;
        const rowH = lab.diagram.rowH;
        lab.diagram.setTrace(lab.trace);
        lab.diagram.rowH = rowH;
        lab.keepSelection = keep;
      }
    }
    lab.trace.append(u.events);
    lab.diagram.follow = true;
    lab.diagram.extend();
    if (lab.keepSelection !== undefined && lab.keepSelection >= 0) {
      const pos = lab.trace.positionOf(lab.keepSelection);
      if (pos >= 0) { lab.diagram.selected = pos; }
      lab.keepSelection = undefined;
    }
    appendFeed(u.feed);
    showView(u.view);
    refreshPanels();
  }

  function laneStatus(lane) {
    const n = lab.view && lab.view.nodes[lane];
    if (!n) return '';
    const group = lab.partition ? lab.partition.get(n.name) : undefined;
    return n.status + (group ? ' · group ' + group : '');
  }

  function showView(v) {
    lab.view = v;
    $('time').textContent = v.time; $('events-count').textContent = v.events; $('phase').textContent = v.phase + (v.playing ? ' ▶' : '');
    if (v.notice) notify(v.notice);
    if (v.violation) notify('VIOLATION: ' + v.violation, true);
    $('plan-items').replaceChildren(...v.plan.map((p) => h('li', p.item, p.ahead ? 'ahead' : '')));
    if (document.activeElement !== $('plan-text')) $('plan-text').value = v.plan_text.split('; ').join(';\n');
    $('replay').textContent = v.replay;
    $('trace-hash').textContent = v.trace_hash + (v.finished ? ' (final)' : ' (so far)');
    $('share').href = shareLink(v);
    $('checks').replaceChildren(...(v.checks.length ? v.checks.map((c) => h('div', c.text, 'check status-' + c.status.toLowerCase()))
      : [h('p', v.finished ? 'no final checks' : 'the checks run at the end (“to end”)', 'muted')]));
    for (const id of ['play', 'step', 'step-point', 'until', 'to-end']) $(id).disabled = v.finished;
    $('heal').disabled = !v.can_act; $('partition-mode').disabled = !v.can_act;
    const kinds = $('kinds');
    if (lab.trace && kinds.childElementCount !== lab.trace.kinds.length) kinds.replaceChildren(...lab.trace.kinds.map((k) => { const o = h('option'); o.value = k; return o; }));
    lab.diagram.redraw();
  }

  function shareLink(v) {
    const own = !v.replay.includes('--faults');
    const p = new URLSearchParams({ scenario: v.scenario, seed: v.seed, at: v.events });
    if (!own) p.set('faults', v.plan_text);
    return '#' + p.toString();
  }

  function appendFeed(f) {
    const feed = $('feed');
    f.lines.forEach((line, j) => {
      const d = h('div', line); const at = f.at[j];
      d.addEventListener('click', () => { const pos = lab.trace.positionOf(at); if (pos >= 0) { lab.diagram.select(pos, true); } });
      feed.appendChild(d);
    });
    lab.feedCount += f.lines.length;
    if (feed.childElementCount > 3000) while (feed.childElementCount > 2500) feed.removeChild(feed.firstChild);
  }

  // ---- panels ----

  // The inspect tab: "overview" shows every node's state and every inspector the scenario's module registered,
  // one section each; picking one inspector shows it alone. The argument typed for an inspector is kept for it.
  lab.inspectorArgs = {};
  function fillInspectors(list) {
    const sel = $('inspector');
    const opts = [['overview', 'every node\'s state, then each of the system\'s inspectors'], ['nodes', 'every node\'s state (describeState)']]
      .concat(list.map((i) => [i.name, i.help]));
    sel.replaceChildren(...opts.map(([name, help]) => {
      const o = h('option', name === 'nodes' ? 'node states' : name === 'overview' ? 'overview' : '\\' + name); o.value = name; o.title = help; return o;
    }));
    const arg = $('inspector-arg');
    sel.onchange = () => {
      $('inspector-help').textContent = sel.selectedOptions[0].title;
      arg.disabled = sel.value === 'overview' || sel.value === 'nodes';
      arg.value = lab.inspectorArgs[sel.value] || '';
      refreshPanels(true);
    };
    arg.onchange = () => { lab.inspectorArgs[sel.value] = arg.value; refreshPanels(true); };
    arg.disabled = true; arg.value = '';
    $('inspector-help').textContent = opts[0][1];
  }

  function panelsQuery() {
    const q = Object.entries(lab.inspectorArgs).filter(([, v]) => v).map(([k, v]) => 'arg.' + encodeURIComponent(k) + '=' + encodeURIComponent(v));
    return q.length ? '?' + q.join('&') : '';
  }

  let refreshTimer = null, lastRefresh = 0;
  function refreshPanels(now) {
    if (refreshTimer) return;
    const wait = now ? 0 : Math.max(0, 250 - (Date.now() - lastRefresh));
    refreshTimer = setTimeout(async () => {
      refreshTimer = null; lastRefresh = Date.now();
      const name = $('inspector').value;
      const out = $('inspector-output');
      const text = await guarded(async () => {
        if (name === 'overview') {
          const panels = await api('GET', path('panels') + panelsQuery());
          return panels.map((p) => '── ' + (p.name === 'nodes' ? 'node states' : '\\' + p.name + (p.arg ? ' ' + p.arg : '')) + ' ──\n' + p.text.replace(/\n+$/, '')).join('\n\n');
        }
        if (name === 'nodes') {
          const states = await api('GET', path('states'));
          return Object.entries(states).map(([n, s]) => n + ' ' + s).join('\n');
        }
        const r = await api('GET', path('inspect') + '?name=' + encodeURIComponent(name) + '&arg=' + encodeURIComponent($('inspector-arg').value));
        return r.text;
      });
      if (text !== null) { out.textContent = text; out.dataset.events = lab.view ? lab.view.events : 0; }
      if (!$('tab-messages').hidden) refreshInflight();
    }, wait);
  }

  async function refreshInflight() {
    const list = await guarded(() => api('GET', path('inflight')));
    if (!list) return;
    const t = h('table');
    for (const m of list) {
      const r = h('tr');
      r.appendChild(h('td', '#' + m.id)); r.appendChild(h('td', m.from + '→' + m.to + ' ' + m.type + ' due ' + simFormatNanos(m.arrival_ns)));
      const td = h('td');
      for (const [label, verb] of [['drop', 'drop'], ['dup', 'duplicate']]) {
        const b = h('button', label); b.dataset.action = verb + ' message ' + m.id; b.title = m.words;
        b.addEventListener('click', () => act(verb + ' message ' + m.id)); td.appendChild(b);
      }
      r.appendChild(td); t.appendChild(r);
    }
    $('inflight').replaceChildren(list.length ? t : h('p', 'nothing in flight', 'muted'));
  }

  async function onSelect(pos) {
    $('rewind-here').disabled = pos < 0;
    if (pos < 0) return;
    showTab('event');
    simRenderDetails($('details'), lab.diagram, pos, null);
    const index = lab.trace.i[pos];
    const st = await guarded(() => api('GET', path('state') + '?i=' + index));
    if (st && st.text !== undefined && lab.diagram.selected === pos) simRenderDetails($('details'), lab.diagram, pos, { text: st.text, since: st.since });
  }

  function showTab(name) {
    document.querySelectorAll('.tabs button').forEach((b) => b.classList.toggle('on', b.dataset.tab === name));
    document.querySelectorAll('.tab').forEach((s) => { s.hidden = s.id !== 'tab-' + name; });
    if (name === 'messages') refreshInflight();
    if (name === 'charts') fillAttrPick();
  }

  // ---- actions ----

  async function act(action) {
    hideMenu();
    const v = await guarded(() => api('POST', path('action'), { action }));
    if (v) notify(v.notice);
  }

  function onLaneClick(lane, e) {
    const node = lab.trace.nodes[lane];
    if (lab.partition) {
      const g = lab.partition.get(node);
      if (g === 'A') lab.partition.set(node, 'B'); else if (g === 'B') lab.partition.delete(node); else lab.partition.set(node, 'A');
      lab.diagram.redraw();
      return;
    }
    const menu = $('node-menu');
    const status = lab.view.nodes[lane].status;
    const items = [['crash', 'crash ' + node, status !== 'crashed'], ['restart', 'restart ' + node, status === 'crashed'],
      ['pause', 'pause ' + node, status === 'up'], ['resume', 'resume ' + node, status === 'paused'],
      ['slow 50ms', 'slow ' + node + ' 50ms', true], ['normal speed', 'slow ' + node + ' 0s', true],
      ['skew clock +200ms', 'skew ' + node + ' 200ms', true], ['isolate (partition from the rest)', 'partition ' + node + '|' + lab.trace.nodes.filter((n) => n !== node).join(','), true],
      ['disk: lose un-fsynced writes on crash', 'disk ' + node + ' lose', true], ['disk: torn last write on crash', 'disk ' + node + ' torn', true],
      ['disk: EIO on the next 3 writes', 'disk ' + node + ' eio 3', true], ['disk: EIO on the next fsync', 'disk ' + node + ' fsync-eio 1', true],
      ['disk: fsyncs take 50ms', 'disk ' + node + ' fsync-latency 50ms', true], ['disk: full (ENOSPC)', 'disk ' + node + ' full', true]];
    menu.replaceChildren(h('h4', node + ' (' + status + ')'));
    for (const [label, action, enabled] of items) {
      const b = h('button', label); b.dataset.action = action.split(' ')[0] === 'disk' ? action.split(' ').slice(2).join(' ') : action.split(' ')[0];
      b.dataset.plan = action; b.disabled = !enabled || !lab.view.can_act;
      b.addEventListener('click', () => act(action)); menu.appendChild(b);
    }
    const close = h('button', 'close'); close.addEventListener('click', hideMenu); menu.appendChild(close);
    menu.style.left = Math.min(e.offsetX, $('canvas-wrap').clientWidth - 200) + 'px'; menu.style.top = (e.offsetY + 8) + 'px';
    menu.hidden = false;
  }

  function hideMenu() { $('node-menu').hidden = true; }

  function partitionMode() {
    if (lab.partition) { lab.partition = null; $('cut').hidden = true; lab.diagram.redraw(); return; }
    lab.partition = new Map();
    $('cut').hidden = false;
    notify('click lane names to put nodes in group A (click again: B, again: neither), then “cut A | B”');
    lab.diagram.redraw();
  }

  async function cut() {
    const a = [], b = [];
    for (const [n, g] of lab.partition) (g === 'A' ? a : b).push(n);
    if (a.length === 0 || b.length === 0) { notify('a partition needs a node in group A and one in group B', true); return; }
    lab.partition = null; $('cut').hidden = true;
    await act('partition ' + a.join(',') + '|' + b.join(','));
  }

  // ---- charts ----

  function barChart(canvas, seeds, series, colors) {
    const ctx = canvas.getContext('2d'), w = canvas.width, hgt = canvas.height, pad = 28;
    ctx.clearRect(0, 0, w, hgt);
    const max = Math.max(1, ...Object.values(series).flat());
    const names = Object.keys(series), groupW = (w - pad - 8) / Math.max(1, seeds.length), barW = groupW / (names.length + 1);
    ctx.font = '10px system-ui'; ctx.fillStyle = '#5d6d7e'; ctx.fillText(String(max), 2, 12); ctx.fillText('0', 2, hgt - pad + 4);
    seeds.forEach((seed, i) => {
      names.forEach((n, j) => {
        const v = series[n][i], bh = (hgt - pad - 10) * v / max;
        ctx.fillStyle = colors[j]; ctx.fillRect(pad + i * groupW + j * barW, hgt - pad - bh, barW - 1, bh);
      });
      ctx.fillStyle = '#5d6d7e'; ctx.fillText(String(seed), pad + i * groupW + barW / 2, hgt - pad + 12);
    });
    names.forEach((n, j) => { ctx.fillStyle = colors[j]; ctx.fillRect(pad + j * 80, hgt - 10, 8, 8); ctx.fillStyle = '#1f2d3a'; ctx.fillText(n, pad + j * 80 + 11, hgt - 2); });
  }

  async function sweep() {
    $('sweep').disabled = true;
    notify('running redis.durability-tradeoff for each seed…');
    const r = await guarded(() => api('GET', '/api/sweeps/redis-fsync?seeds=' + Number($('sweep-seeds').value)));
    $('sweep').disabled = false;
    if (!r) return;
    barChart($('sweep-chart'), r.seeds, r.lost, ['#1e8449', '#d68910', '#c0392b']);
    $('sweep-chart').dataset.series = JSON.stringify(r.lost);
    notify('acknowledged writes lost per seed: always ' + r.lost.always.join(',') + '; everysec ' + r.lost.everysec.join(',') + '; no ' + r.lost.no.join(','));
  }

  // The R + W > RF table as a grid: a row per write level, a column per read level; each cell is filled
  // from the bottom by the share of seeds whose read was stale, and a pair with R + W > RF is outlined.
  function rwChart(canvas, r) {
    const ctx = canvas.getContext('2d'), w = canvas.width, hgt = canvas.height, left = 64, top = 28, n = r.levels.length;
    const cw = (w - left - 6) / n, ch = (hgt - top - 30) / n;
    ctx.clearRect(0, 0, w, hgt);
    canvas.dataset.grid = JSON.stringify({ left, top, cw, ch, levels: r.levels });
    ctx.font = '10px system-ui'; ctx.fillStyle = '#5d6d7e';
    ctx.fillText('read →', left, 10); ctx.fillText('write ↓', 2, top - 4);
    r.levels.forEach((l, i) => { ctx.fillText(l, left + i * cw + 4, top - 4); ctx.fillText(l, 2, top + i * ch + ch / 2 + 3); });
    for (const c of r.cells) {
      const x = left + r.levels.indexOf(c.read) * cw, y = top + r.levels.indexOf(c.write) * ch, share = c.stale / r.seeds;
      ctx.fillStyle = '#fbeee6'; ctx.fillRect(x + 1, y + 1, cw - 2, ch - 2);
      ctx.fillStyle = '#c0392b'; ctx.fillRect(x + 1, y + 1 + (ch - 2) * (1 - share), cw - 2, (ch - 2) * share);
      if (c.overlap) { ctx.strokeStyle = '#1e8449'; ctx.lineWidth = 3; ctx.strokeRect(x + 2.5, y + 2.5, cw - 5, ch - 5); }
      ctx.fillStyle = '#1f2d3a'; ctx.font = 'bold 12px system-ui';
      ctx.fillText(c.stale + '/' + r.seeds, x + 6, y + 16);
      ctx.font = '9px system-ui'; ctx.fillStyle = '#5d6d7e';
      ctx.fillText((c.stale + c.fresh) + ' answered', x + 6, y + ch - 6);
    }
    ctx.font = '10px system-ui'; ctx.strokeStyle = '#1e8449'; ctx.lineWidth = 2; ctx.strokeRect(left, hgt - 18, 10, 10);
    ctx.fillStyle = '#1f2d3a'; ctx.fillText('R + W > RF ' + r.rf + ' (overlap)', left + 14, hgt - 9);
    ctx.fillStyle = '#c0392b'; ctx.fillRect(left + 150, hgt - 18, 10, 10); ctx.fillStyle = '#1f2d3a'; ctx.fillText('stale share', left + 164, hgt - 9);
  }

  async function rwSweep() {
    $('rw-sweep').disabled = true;
    notify('running cassandra.rw-table for each seed…');
    const r = await guarded(() => api('GET', '/api/sweeps/cassandra-rw?seeds=' + Number($('rw-seeds').value)));
    $('rw-sweep').disabled = false;
    if (!r) return;
    rwChart($('rw-chart'), r);
    $('rw-chart').dataset.cells = JSON.stringify(r.cells);
    notify('stale reads over ' + r.seeds + ' seeds (W/R): ' + r.cells.map((c) => c.write + '/' + c.read + ' ' + c.stale).join(', '));
  }

  function fillAttrPick() {
    if (!lab.trace) return;
    const found = new Set();
    for (const [pos, a] of lab.trace.attrs) for (const [k, v] of Object.entries(a)) if (typeof v === 'number') found.add(lab.trace.kindOf(pos) + ' · ' + k);
    const sel = $('attr-pick'), keep = sel.value;
    sel.replaceChildren(...[...found].sort().map((x) => { const o = h('option', x); o.value = x; return o; }));
    if (keep && found.has(keep)) sel.value = keep;
    sel.onchange = drawAttr;
    drawAttr();
  }

  function drawAttr() {
    const [kind, key] = ($('attr-pick').value || ' · ').split(' · ');
    const c = $('attr-chart'), ctx = c.getContext('2d'), tr = lab.trace;
    ctx.clearRect(0, 0, c.width, c.height);
    const pts = [];
    for (const [pos, a] of tr.attrs) if (tr.kindOf(pos) === kind && typeof a[key] === 'number') pts.push([tr.t[pos], a[key], tr.n[pos]]);
    if (pts.length === 0) return;
    const tMax = Math.max(1, ...pts.map((p) => p[0])), vMax = Math.max(1, ...pts.map((p) => p[1])), pad = 28;
    ctx.font = '10px system-ui'; ctx.fillStyle = '#5d6d7e'; ctx.fillText(String(vMax), 2, 12); ctx.fillText(simFormatNanos(tMax), c.width - 50, c.height - 4);
    for (const [t, v, n] of pts) {
      ctx.fillStyle = simColor(n < 0 ? 'sim' : tr.nodes[n]);
      ctx.fillRect(pad + (c.width - pad - 6) * t / tMax - 1.5, c.height - pad - (c.height - pad - 10) * v / vMax - 1.5, 3, 3);
    }
  }

  // ---- wiring ----

  function wire() {
    $('start').addEventListener('click', () => start());
    $('play').addEventListener('click', () => guarded(() => api('POST', path('play'), { speed: Number($('speed').value) })));
    $('speed').addEventListener('change', () => { if (lab.view && lab.view.playing) guarded(() => api('POST', path('play'), { speed: Number($('speed').value) })); });
    $('pause').addEventListener('click', () => guarded(() => api('POST', path('pause'))));
    $('step').addEventListener('click', () => guarded(() => api('POST', path('step'), { mode: 'event', count: 1 })));
    $('step-point').addEventListener('click', () => guarded(() => api('POST', path('step'), { mode: 'point' })));
    $('until').addEventListener('click', () => guarded(() => api('POST', path('step'), { mode: 'kind', kind: $('until-kind').value })));
    $('until-kind').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('until').click(); });
    $('to-end').addEventListener('click', () => guarded(() => api('POST', path('step'), { mode: 'end' })));
    $('rewind-here').addEventListener('click', () => {
      const pos = lab.diagram.selected;
      if (pos >= 0) guarded(() => api('POST', path('rewind'), { index: lab.trace.i[pos] }));
    });
    $('heal').addEventListener('click', () => act('heal'));
    $('partition-mode').addEventListener('click', partitionMode);
    $('cut').addEventListener('click', cut);
    $('plan-apply').addEventListener('click', () => guarded(() => api('POST', path('plan'), { plan: $('plan-text').value })));
    $('sweep').addEventListener('click', sweep);
    $('rw-sweep').addEventListener('click', rwSweep);
    $('share').addEventListener('click', (e) => { e.preventDefault(); location.hash = $('share').getAttribute('href'); notify('the address bar now holds a link to this session'); });
    document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  }

  async function main() {
    wire();
    await guarded(loadScenarios);
    const frag = new URLSearchParams(location.hash.slice(1));
    if (frag.get('scenario') && selectScenario(frag.get('scenario'))) {
      $('seed').value = frag.get('seed') || 1;
      await start(frag.has('faults') ? frag.get('faults') : undefined, Number(frag.get('at') || 0));
    }
  }
  main();
})();
