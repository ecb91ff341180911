// The space-time diagram: a lane per node, time flowing down one row per event, messages as arrows, faults
// as bands. Hand-written, no library. Drawing is virtualised on a canvas: each frame draws only the rows on
// screen and the arrows that cross them (found through row buckets), so 100,000 events cost what 100 do.
// Shared by the static diagram page (diagram-page.js) and the live lab (lab.js).
'use strict';

const SimKinds = (() => {
  const KERNEL = new Set(['start', 'restart', 'crash', 'pause', 'resume', 'slow', 'clock.skew', 'send', 'deliver',
    'drop', 'timer', 'action', 'fsync.wait', 'fsync.done', 'fsync.failed', 'conn.reset', 'panic', 'note', 'fault',
    'partition', 'heal', 'swarm', 'phase', 'check', 'invariant.violated', 'lesson.departed', 'break', 'disk.create',
    'disk.write', 'disk.fsync', 'disk.truncate', 'disk.rename', 'disk.delete', 'disk.crash', 'disk.corrupt',
    'disk.corrupt-read']);
  const HIDDEN = new Set(['timer', 'action', 'disk.write', 'disk.create', 'disk.rename', 'disk.fsync', 'disk.truncate',
    'disk.delete']);
  const group = (k) => {
    if (!KERNEL.has(k)) return 'write-path points';
    if (k === 'send' || k === 'deliver' || k === 'drop') return 'messages';
    if (['start', 'restart', 'crash', 'panic', 'pause', 'resume', 'slow', 'clock.skew', 'conn.reset'].includes(k)) return 'lifecycle';
    if (['fault', 'partition', 'heal', 'swarm', 'break', 'disk.crash', 'disk.corrupt', 'disk.corrupt-read'].includes(k)) return 'faults';
    if (['phase', 'check', 'invariant.violated', 'lesson.departed'].includes(k)) return 'checks';
    return 'plumbing';
  };
  return { isPoint: (k) => !KERNEL.has(k), hiddenByDefault: (k) => HIDDEN.has(k), group };
})();

function simFormatNanos(ns) {
  if (ns === 0) return '0s';
  const units = [[1e9, 's'], [1e6, 'ms'], [1e3, 'us']];
  for (const [u, name] of units) {
    if (ns >= u) {
      const v = ns / u;
      return (Math.round(v * 1000) / 1000).toString() + name;
    }
  }
  return ns + 'ns';
}

function simColor(name) {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return 'hsl(' + (((h % 360) + 360) % 360) + ',62%,42%)';
}

/** The run's events in columns, and what the diagram derives from them: messages, arrows, bands, checks. */
class SimTrace {
  constructor(nodes) {
    this.nodes = nodes.slice();
    this.kinds = []; this.kindIndex = new Map();
    this.types = []; this.typeIndex = new Map();
    this.i = []; this.t = []; this.n = []; this.k = []; this.d = []; this.m = []; this.f = []; this.o = []; this.y = [];
    this.attrs = new Map();            // position -> attrs object
    this.messages = new Map();         // msg id -> {send: pos|-1, arrivals: [pos]}
    this.arrows = [];                  // {from, to, start, end, pos (arrival), kind: deliver|drop|lost-at-send, dup}
    this.bands = [];                   // {lane, kind, start, end (pos or -1 open), label}
    this.open = new Map();             // "lane/kind" -> band
    this.checks = [];                  // positions of check / invariant.violated / lesson.departed events
    this.counterexamples = [];         // {check pos, ops: [{id, client, what, invoke, ret}]}
  }

  get size() { return this.i.length; }

  kindOf(pos) { return this.kinds[this.k[pos]]; }
  nodeName(pos) { return this.n[pos] < 0 ? 'sim' : this.nodes[this.n[pos]]; }

  /** Adds events in the column form DiagramJson writes ({kinds, types, ev}). */
  append(p) {
    const kmap = p.kinds.map((name) => this.intern(name, this.kinds, this.kindIndex));
    const tmap = p.types.map((name) => this.intern(name, this.types, this.typeIndex));
    const ev = p.ev;
    const start = this.size;
    for (let j = 0; j < ev.i.length; j++) {
      this.i.push(ev.i[j]); this.t.push(ev.t[j]); this.n.push(ev.n[j]); this.k.push(kmap[ev.k[j]]);
      this.d.push(ev.d[j]); this.m.push(ev.m[j]); this.f.push(ev.f[j]); this.o.push(ev.o[j]);
      this.y.push(ev.y[j] < 0 ? -1 : tmap[ev.y[j]]);
      const a = ev.a[String(ev.i[j])];
      if (a) this.attrs.set(start + j, a);
    }
    for (let pos = start; pos < this.size; pos++) this.derive(pos);
    return start;
  }

  intern(name, list, index) {
    let id = index.get(name);
    if (id === undefined) { id = list.length; list.push(name); index.set(name, id); }
    return id;
  }

  derive(pos) {
    const kind = this.kindOf(pos);
    const lane = this.n[pos];
    const a = this.attrs.get(pos) || {};
    if (this.m[pos] >= 0) this.deriveMessage(pos, kind);
    switch (kind) {
      case 'crash': case 'panic':
        this.close(lane, 'pause', pos); this.close(lane, 'slow', pos);
        this.openBand(lane, 'crash', pos, kind === 'panic' ? 'panicked' : 'crashed'); break;
      case 'start': case 'restart': this.close(lane, 'crash', pos); break;
      case 'pause': this.openBand(lane, 'pause', pos, 'paused'); break;
      case 'resume': this.close(lane, 'pause', pos); break;
      case 'slow':
        this.close(lane, 'slow', pos);
        if (a.extra_ns > 0) this.openBand(lane, 'slow', pos, 'slow ' + simFormatNanos(a.extra_ns));
        break;
      case 'clock.skew':
        this.close(lane, 'skew', pos);
        if (a.offset_ns !== 0 || a.drift_ppm !== 0) this.openBand(lane, 'skew', pos, 'clock ' + this.d[pos]);
        break;
      case 'partition':
        for (const name of (a.nodes || [])) {
          const l = this.nodes.indexOf(name);
          if (l >= 0) { this.close(l, 'partition', pos); this.openBand(l, 'partition', pos, this.d[pos]); }
        }
        break;
      case 'heal': this.closeAll('partition', pos); break;
      case 'phase':
        if (a.phase === 'liveness') { this.closeAll('partition', pos); this.closeAll('disk', pos); }
        break;
      case 'fault':
        if (typeof a.fault === 'string' && a.fault.startsWith('disk.') && lane >= 0
            && !['disk.lose', 'disk.prefix', 'disk.torn'].includes(a.fault)) {
          this.close(lane, 'disk', pos); this.openBand(lane, 'disk', pos, this.d[pos]);
        }
        break;
      case 'check': case 'invariant.violated': case 'lesson.departed':
        this.checks.push(pos);
        if (a.status === 'FAILED') this.parseCounterexample(pos);
        break;
      default:
    }
  }

  deriveMessage(pos, kind) {
    const id = this.m[pos];
    let msg = this.messages.get(id);
    if (!msg) { msg = { send: -1, arrivals: [] }; this.messages.set(id, msg); }
    if (kind === 'send') { msg.send = pos; return; }
    if (kind !== 'deliver' && kind !== 'drop') return;
    const dup = msg.arrivals.length > 0;
    msg.arrivals.push(pos);
    if (kind === 'drop' && msg.send < 0) {
      this.arrows.push({ from: this.f[pos], to: this.o[pos], start: pos, end: pos, pos, kind: 'lost-at-send', dup: false });
    } else {
      this.arrows.push({ from: this.f[pos], to: this.o[pos], start: msg.send < 0 ? pos : msg.send, end: pos, pos, kind, dup });
    }
  }

  openBand(lane, kind, pos, label) {
    if (lane < 0) return;
    const b = { lane, kind, start: pos, end: -1, label };
    this.bands.push(b);
    this.open.set(lane + '/' + kind, b);
  }

  close(lane, kind, pos) {
    const key = lane + '/' + kind;
    const b = this.open.get(key);
    if (b) { b.end = pos; this.open.delete(key); }
  }

  closeAll(kind, pos) {
    for (let l = 0; l < this.nodes.length; l++) this.close(l, kind, pos);
  }

  /** A failed linearizability check lists its minimal counterexample as "#id cN input -> output [invoke, return]". */
  parseCounterexample(pos) {
    const ops = [];
    const re = /#(\d+) c(\d+) (.*?) -> (.*?) \[(\d+), (\d+|\?)\]/g;
    let m;
    while ((m = re.exec(this.d[pos])) !== null) {
      ops.push({ id: +m[1], client: +m[2], what: m[3] + ' -> ' + m[4], invoke: +m[5], ret: m[6] === '?' ? Infinity : +m[6] });
    }
    if (ops.length > 0) this.counterexamples.push({ pos, ops });
  }

  /** The first position at or after simulated time {@code ns}. */
  positionAtTime(ns) {
    let lo = 0, hi = this.size;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.t[mid] < ns) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /** The position of the event with trace index {@code index}, or -1. */
  positionOf(index) {
    let lo = 0, hi = this.size;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.i[mid] < index) lo = mid + 1; else hi = mid; }
    return lo < this.size && this.i[lo] === index ? lo : -1;
  }
}

/** Draws a SimTrace on a canvas; owns scrolling, zoom, filters, selection and hit-testing. */
class SimDiagram {
  constructor(canvas, trace, opts) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.opts = opts || {};
    this.headerH = 40;
    this.gutterW = 86;
    this.rowH = 16;
    this.scrollRow = 0;
    this.selected = -1;
    this.search = '';
    this.follow = false;
    this.lastFrame = { rows: 0, arrows: 0 };
    this.setTrace(trace);
    this.bindEvents();
    new ResizeObserver(() => this.redraw()).observe(canvas.parentElement);
  }

  setTrace(trace) {
    this.trace = trace;
    this.laneVisible = trace.nodes.map(() => true);
    this.kindVisible = new Map();
    this.selected = -1;
    this.scrollRow = 0;
    this.refilter();
  }

  isKindVisible(kindId) {
    let v = this.kindVisible.get(kindId);
    if (v === undefined) { v = !SimKinds.hiddenByDefault(this.trace.kinds[kindId]); this.kindVisible.set(kindId, v); }
    return v;
  }

  setKindVisible(kind, on) {
    const id = this.trace.kindIndex.get(kind);
    if (id !== undefined) this.kindVisible.set(id, on);
    this.refilter();
  }

  setLaneVisible(lane, on) { this.laneVisible[lane] = on; this.refilter(); }

  passes(pos) {
    const n = this.trace.n[pos];
    return this.isKindVisible(this.trace.k[pos]) && (n < 0 || this.laneVisible[n]);
  }

  /** Recomputes the visible rows and the arrow buckets (after a filter change). */
  refilter() {
    const keep = this.selected >= 0 ? this.trace.i[this.selected] : -1;
    this.visible = [];
    this.done = 0;
    this.buckets = [];
    this.arrowsDone = 0;
    this.extend();
    if (keep >= 0) this.selected = this.trace.positionOf(keep);
    this.redraw();
  }

  /** Takes in events appended to the trace since the last call (the live lab). */
  extend() {
    const tr = this.trace;
    for (let pos = this.done; pos < tr.size; pos++) if (this.passes(pos)) this.visible.push(pos);
    this.done = tr.size;
    for (let a = this.arrowsDone; a < tr.arrows.length; a++) {
      const ar = tr.arrows[a];
      if (!this.laneVisible[ar.from] || !this.laneVisible[ar.to]) continue;
      const r0 = this.rowAtOrAfter(ar.start) >> 6, r1 = this.rowAtOrAfter(ar.end) >> 6;
      for (let b = r0; b <= r1; b++) (this.buckets[b] || (this.buckets[b] = [])).push(a);
    }
    this.arrowsDone = tr.arrows.length;
    if (this.follow) this.scrollRow = Math.max(0, this.visible.length - this.pageRows() + 1);
    this.redraw();
  }

  rowAtOrAfter(pos) {
    const v = this.visible;
    let lo = 0, hi = v.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (v[mid] < pos) lo = mid + 1; else hi = mid; }
    return lo;
  }

  lanes() {
    const out = [];
    for (let l = 0; l < this.trace.nodes.length; l++) if (this.laneVisible[l]) out.push(l);
    return out;
  }

  laneX(lane) {
    const lanes = this.lanes();
    const idx = lanes.indexOf(lane);
    const w = this.laneWidth(lanes.length);
    return this.gutterW + w * idx + w / 2;
  }

  laneWidth(count) {
    return Math.max(40, (this.canvas.clientWidth - this.gutterW - 10) / Math.max(1, count));
  }

  pageRows() { return Math.max(1, Math.floor((this.canvas.clientHeight - this.headerH) / this.rowH)); }

  rowY(row) { return this.headerH + (row - this.scrollRow) * this.rowH + this.rowH / 2; }

  scrollTo(row) {
    const max = Math.max(0, this.visible.length - this.pageRows() + 1);
    this.scrollRow = Math.max(0, Math.min(max, Math.round(row)));
    this.follow = this.scrollRow >= max && this.opts.live;
    this.redraw();
    if (this.opts.onScroll) this.opts.onScroll(this);
  }

  scrollToTime(ns) { this.scrollTo(this.rowAtOrAfter(this.trace.positionAtTime(ns))); }

  /** Zooms rows in or out, keeping the row under {@code anchorY} (default: the top) where it is. */
  zoom(factor, anchorY) {
    const dy = anchorY === undefined ? 0 : Math.max(0, anchorY - this.headerH);
    const anchorRow = this.scrollRow + dy / this.rowH;
    this.rowH = Math.max(2, Math.min(48, this.rowH * factor));
    this.scrollTo(anchorRow - dy / this.rowH);
  }

  select(pos, reveal) {
    this.selected = pos;
    if (reveal && pos >= 0) {
      const row = this.rowAtOrAfter(pos);
      if (row < this.scrollRow || row >= this.scrollRow + this.pageRows()) this.scrollTo(row - this.pageRows() / 3);
    }
    this.redraw();
    if (this.opts.onSelect) this.opts.onSelect(pos);
  }

  /** Where an event's mark is on the canvas (CSS pixels), or null when it is filtered out. */
  eventPoint(index) {
    const pos = this.trace.positionOf(index);
    if (pos < 0) return null;
    const row = this.rowAtOrAfter(pos);
    if (this.visible[row] !== pos) return null;
    const lane = this.trace.n[pos];
    return { x: lane >= 0 ? this.laneX(lane) : this.gutterW + 20, y: this.rowY(row), row };
  }

  bindEvents() {
    const c = this.canvas;
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) this.zoom(e.deltaY < 0 ? 1.25 : 0.8, e.offsetY);
      else this.scrollTo(this.scrollRow + (e.deltaY / Math.max(4, this.rowH)) * (e.deltaMode === 1 ? 16 : 1));
    }, { passive: false });
    c.addEventListener('click', (e) => {
      if (e.offsetY < this.headerH) {
        const lane = this.laneAtX(e.offsetX);
        if (lane >= 0 && this.opts.onLaneClick) this.opts.onLaneClick(lane, e);
        return;
      }
      const row = this.scrollRow + Math.floor((e.offsetY - this.headerH) / this.rowH);
      if (row >= 0 && row < this.visible.length) this.select(this.visible[row], false);
    });
    c.tabIndex = 0;
    c.addEventListener('keydown', (e) => {
      const step = { ArrowDown: 1, ArrowUp: -1, PageDown: this.pageRows(), PageUp: -this.pageRows() }[e.key];
      if (step !== undefined) { e.preventDefault(); this.scrollTo(this.scrollRow + step); }
      if (e.key === 'Home') this.scrollTo(0);
      if (e.key === 'End') this.scrollTo(this.visible.length);
      if (e.key === 'j' || e.key === 'k') {
        const row = this.selected < 0 ? this.scrollRow : this.rowAtOrAfter(this.selected) + (e.key === 'j' ? 1 : -1);
        if (row >= 0 && row < this.visible.length) this.select(this.visible[row], true);
      }
    });
  }

  laneAtX(x) {
    const lanes = this.lanes();
    const w = this.laneWidth(lanes.length);
    const idx = Math.floor((x - this.gutterW) / w);
    return idx >= 0 && idx < lanes.length ? lanes[idx] : -1;
  }

  /** Counts for tests and the status line: lanes drawn, arrows in the model, rows drawn in the last frame. */
  stats() {
    const lanes = this.lanes().map((l) => this.trace.nodes[l]);
    let arrows = 0;
    for (const a of this.trace.arrows) if (this.laneVisible[a.from] && this.laneVisible[a.to]) arrows++;
    return { lanes, arrows, events: this.trace.size, visibleRows: this.visible.length,
      drawnRows: this.lastFrame.rows, drawnArrows: this.lastFrame.arrows };
  }

  redraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  draw() {
    const c = this.canvas, ctx = this.ctx, dpr = window.devicePixelRatio || 1;
    const w = c.parentElement.clientWidth, h = c.parentElement.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      c.style.width = w + 'px'; c.style.height = h + 'px';
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
    const tr = this.trace, lanes = this.lanes(), laneW = this.laneWidth(lanes.length);
    const x = new Map(lanes.map((l, i) => [l, this.gutterW + laneW * i + laneW / 2]));
    const r0 = this.scrollRow, r1 = Math.min(this.visible.length - 1, r0 + this.pageRows());
    ctx.save();
    ctx.beginPath(); ctx.rect(0, this.headerH, w, h - this.headerH); ctx.clip();
    ctx.strokeStyle = '#d8dde3'; ctx.lineWidth = 1;
    for (const l of lanes) { ctx.beginPath(); ctx.moveTo(x.get(l), this.headerH); ctx.lineTo(x.get(l), h); ctx.stroke(); }
    if (r1 >= r0) {
      this.drawBands(ctx, x, laneW, r0, r1);
      this.drawCounterexamples(ctx, r0, r1);
      this.drawRows(ctx, x, laneW, r0, r1, w);
      this.lastFrame.arrows = this.drawArrows(ctx, x, r0, r1);
    } else {
      this.lastFrame.arrows = 0;
    }
    this.lastFrame.rows = Math.max(0, r1 - r0 + 1);
    ctx.restore();
    this.drawHeader(ctx, lanes, x, laneW, w, r0);
  }

  drawHeader(ctx, lanes, x, laneW, w, r0) {
    ctx.fillStyle = '#f4f6f8'; ctx.fillRect(0, 0, w, this.headerH);
    ctx.strokeStyle = '#c4ccd4'; ctx.beginPath(); ctx.moveTo(0, this.headerH - 0.5); ctx.lineTo(w, this.headerH - 0.5); ctx.stroke();
    const topPos = this.visible.length > 0 ? this.visible[Math.min(r0, this.visible.length - 1)] : -1;
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    for (const l of lanes) {
      const status = this.opts.laneStatus ? this.opts.laneStatus(l) : this.statusAt(l, topPos);
      ctx.fillStyle = status === 'crashed' ? '#c0392b' : status === 'paused' ? '#b9770e' : '#1f2d3a';
      ctx.font = 'bold 12px system-ui, sans-serif';
      ctx.fillText(this.trace.nodes[l], x.get(l), 15, laneW - 6);
      ctx.font = '10px system-ui, sans-serif';
      ctx.fillStyle = '#5d6d7e';
      ctx.fillText(status || '', x.get(l), 30, laneW - 6);
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = '#5d6d7e'; ctx.font = '10px system-ui, sans-serif';
    ctx.fillText('time ↓', 8, 22);
  }

  /** What a lane is doing at position {@code pos}: crashed, paused or up. */
  statusAt(lane, pos) {
    let status = 'up';
    for (const b of this.trace.bands) {
      if (b.lane !== lane || b.start > pos || (b.end >= 0 && b.end <= pos)) continue;
      if (b.kind === 'crash') return 'crashed';
      if (b.kind === 'pause') status = 'paused';
    }
    return status;
  }

  drawBands(ctx, x, laneW, r0, r1) {
    const fills = { crash: 'rgba(192,57,43,0.18)', pause: 'rgba(241,196,15,0.28)', slow: 'rgba(52,152,219,0.2)',
      skew: 'rgba(142,68,173,0.16)', partition: 'rgba(127,140,141,0.25)', disk: 'rgba(211,84,0,0.22)' };
    const offsets = { crash: 0, pause: 0, slow: -0.3, skew: 0.3, partition: -0.15, disk: 0.15 };
    const lastRow = this.visible.length;
    for (const b of this.trace.bands) {
      if (!x.has(b.lane)) continue;
      const s = this.rowAtOrAfter(b.start), e = b.end < 0 ? lastRow : this.rowAtOrAfter(b.end);
      if (e < r0 || s > r1) continue;
      const y0 = Math.max(this.headerH, this.rowY(s) - this.rowH / 2), y1 = this.rowY(Math.min(e, r1 + 1)) - this.rowH / 2;
      const bw = b.kind === 'crash' || b.kind === 'pause' ? laneW * 0.5 : laneW * 0.14;
      const cx = x.get(b.lane) + offsets[b.kind] * laneW;
      ctx.fillStyle = fills[b.kind];
      ctx.fillRect(cx - bw / 2, y0, bw, Math.max(2, y1 - y0));
      if (b.kind === 'crash') {
        ctx.strokeStyle = 'rgba(192,57,43,0.35)'; ctx.beginPath();
        for (let yy = y0 - (y0 % 12); yy < y1; yy += 12) { ctx.moveTo(cx - bw / 2, yy); ctx.lineTo(cx + bw / 2, yy + 12); }
        ctx.stroke();
      }
      if (s >= r0 && this.rowH >= 10) {
        ctx.fillStyle = '#34495e'; ctx.font = '10px system-ui, sans-serif';
        ctx.fillText(b.label.slice(0, 40), cx - bw / 2 + 2, this.rowY(s) + this.rowH, laneW);
      }
    }
  }

  drawCounterexamples(ctx, r0, r1) {
    ctx.fillStyle = 'rgba(192,57,43,0.8)';
    let k = 0;
    for (const cx of this.trace.counterexamples) {
      for (const op of cx.ops) {
        const s = this.rowAtOrAfter(this.trace.positionAtTime(op.invoke));
        const e = op.ret === Infinity ? this.visible.length : this.rowAtOrAfter(this.trace.positionAtTime(op.ret));
        if (e < r0 || s > r1) { k++; continue; }
        const xx = this.gutterW - 10 - (k % 4) * 5;
        const y0 = Math.max(this.headerH, this.rowY(s)), y1 = Math.min(this.canvas.clientHeight, this.rowY(Math.max(s, e)));
        ctx.fillRect(xx, y0, 3, Math.max(3, y1 - y0));
        if (this.rowH >= 10 && s >= r0) { ctx.font = '10px system-ui'; ctx.fillText('#' + op.id, xx - 24, y0 + 4); }
        k++;
      }
    }
  }

  drawRows(ctx, x, laneW, r0, r1, w) {
    const tr = this.trace, showText = this.rowH >= 11;
    let lastTime = r0 > 0 ? tr.t[this.visible[r0 - 1]] : -1;
    const needle = this.search.toLowerCase();
    for (let r = r0; r <= r1; r++) {
      const pos = this.visible[r], y = this.rowY(r), kind = tr.kindOf(pos), lane = tr.n[pos];
      if (pos === this.selected) { ctx.fillStyle = 'rgba(52,152,219,0.22)'; ctx.fillRect(0, y - this.rowH / 2, w, this.rowH); }
      else if (needle && (tr.d[pos].toLowerCase().includes(needle) || kind.includes(needle))) {
        ctx.fillStyle = 'rgba(241,196,15,0.25)'; ctx.fillRect(0, y - this.rowH / 2, w, this.rowH);
      }
      if (showText && tr.t[pos] !== lastTime) {
        ctx.fillStyle = '#7f8c8d'; ctx.font = '10px ui-monospace, monospace'; ctx.textBaseline = 'middle';
        ctx.fillText(simFormatNanos(tr.t[pos]), 4, y, this.gutterW - 16);
      }
      lastTime = tr.t[pos];
      if (lane < 0 || !x.has(lane)) { this.drawSimRow(ctx, pos, kind, y, w, showText); continue; }
      this.drawMark(ctx, pos, kind, x.get(lane), y, laneW, showText);
    }
  }

  drawSimRow(ctx, pos, kind, y, w, showText) {
    const a = this.trace.attrs.get(pos) || {};
    let color = '#7f8c8d', dash = [4, 4], width = 1;
    if (kind === 'invariant.violated' || a.status === 'FAILED') { color = '#c0392b'; dash = []; width = 2.5; }
    else if (kind === 'check') color = a.status === 'EXPECTED' ? '#d68910' : a.status === 'NOT_DEMONSTRATED' ? '#95a5a6' : '#1e8449';
    else if (kind === 'phase') color = '#2471a3';
    else if (kind === 'partition' || kind === 'heal') color = '#6c3483';
    else if (kind === 'lesson.departed') color = '#d68910';
    ctx.strokeStyle = color; ctx.lineWidth = width; ctx.setLineDash(dash);
    ctx.beginPath(); ctx.moveTo(this.gutterW, y); ctx.lineTo(w, y); ctx.stroke();
    ctx.setLineDash([]); ctx.lineWidth = 1;
    if (showText) {
      ctx.fillStyle = color; ctx.font = (width > 1 ? 'bold ' : '') + '11px system-ui, sans-serif'; ctx.textBaseline = 'bottom';
      ctx.fillText(kind + ': ' + this.trace.d[pos].split('\n')[0].slice(0, 160), this.gutterW + 4, y - 1);
      ctx.textBaseline = 'middle';
    }
  }

  drawMark(ctx, pos, kind, cx, y, laneW, showText) {
    const s = Math.max(2, Math.min(5, this.rowH / 3));
    const tr = this.trace;
    if (kind === 'send' || kind === 'deliver') {
      ctx.fillStyle = '#5d6d7e'; ctx.beginPath(); ctx.arc(cx, y, Math.max(1.5, s * 0.5), 0, 7); ctx.fill();
      return;
    }
    if (kind === 'drop') return; // drawn as the arrow's X
    if (kind === 'crash' || kind === 'panic') {
      ctx.strokeStyle = '#c0392b'; ctx.lineWidth = 2.5; ctx.beginPath();
      ctx.moveTo(cx - s * 1.6, y - s * 1.6); ctx.lineTo(cx + s * 1.6, y + s * 1.6);
      ctx.moveTo(cx + s * 1.6, y - s * 1.6); ctx.lineTo(cx - s * 1.6, y + s * 1.6); ctx.stroke(); ctx.lineWidth = 1;
    } else if (kind === 'start' || kind === 'restart') {
      ctx.fillStyle = '#1e8449'; ctx.beginPath(); ctx.moveTo(cx - s * 1.4, y + s); ctx.lineTo(cx + s * 1.4, y + s); ctx.lineTo(cx, y - s * 1.4); ctx.fill();
    } else if (SimKinds.isPoint(kind)) {
      ctx.fillStyle = simColor(kind); ctx.beginPath(); ctx.arc(cx, y, s + 1, 0, 7); ctx.fill();
    } else if (kind.startsWith('disk.') || kind.startsWith('fsync.')) {
      ctx.fillStyle = kind === 'fsync.failed' || kind === 'disk.crash' || kind === 'disk.corrupt' ? '#d35400' : '#95a5a6';
      ctx.fillRect(cx - s, y - s, s * 2, s * 2);
    } else {
      ctx.strokeStyle = '#566573'; ctx.beginPath(); ctx.arc(cx, y, s, 0, 7); ctx.stroke();
    }
    if (showText && kind !== 'timer' && kind !== 'action') {
      const label = (SimKinds.isPoint(kind) ? kind.replace(/^[a-z0-9]+\./, '') : kind) + ' ' + tr.d[pos].split('\n')[0];
      ctx.fillStyle = SimKinds.isPoint(kind) ? '#1f2d3a' : '#566573';
      ctx.font = (SimKinds.isPoint(kind) ? '600 ' : '') + '11px system-ui, sans-serif'; ctx.textBaseline = 'middle';
      const room = Math.max(8, Math.floor((this.canvas.clientWidth - cx - s - 8) / 6.3));
      ctx.fillText(label.length > room ? label.slice(0, room - 1) + '…' : label, cx + s + 4, y);
    }
  }

  drawArrows(ctx, x, r0, r1) {
    const tr = this.trace, seen = new Set();
    let drawn = 0;
    for (let b = r0 >> 6; b <= r1 >> 6; b++) {
      for (const a of (this.buckets[b] || [])) {
        if (seen.has(a)) continue;
        seen.add(a);
        const ar = tr.arrows[a];
        const s = this.rowAtOrAfter(ar.start), e = this.rowAtOrAfter(ar.end);
        if (e < r0 || s > r1 || !x.has(ar.from) || !x.has(ar.to)) continue;
        this.drawArrow(ctx, ar, x.get(ar.from), this.rowY(s), x.get(ar.to), this.rowY(e), tr.y[ar.pos] >= 0 ? tr.types[tr.y[ar.pos]] : '');
        drawn++;
      }
    }
    return drawn;
  }

  drawArrow(ctx, ar, x0, y0, x1, y1, type) {
    const selected = this.selected >= 0 && this.trace.m[this.selected] === this.trace.m[ar.pos];
    let color = selected ? '#2e86c1' : 'rgba(44,62,80,0.55)';
    if (ar.kind !== 'deliver') color = '#c0392b';
    else if (ar.dup) color = '#d68910';
    if (ar.kind === 'lost-at-send') { x1 = x0 + (x1 - x0) * 0.35; y1 = y0 + this.rowH * 0.6; }
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = selected ? 2 : 1;
    ctx.setLineDash(ar.dup ? [5, 3] : ar.kind !== 'deliver' ? [2, 2] : []);
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke(); ctx.setLineDash([]);
    const ang = Math.atan2(y1 - y0, x1 - x0), hs = 6;
    if (ar.kind === 'deliver') {
      ctx.beginPath(); ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - hs * Math.cos(ang - 0.4), y1 - hs * Math.sin(ang - 0.4));
      ctx.lineTo(x1 - hs * Math.cos(ang + 0.4), y1 - hs * Math.sin(ang + 0.4)); ctx.fill();
    } else {
      ctx.lineWidth = 2; ctx.beginPath();
      ctx.moveTo(x1 - 4, y1 - 4); ctx.lineTo(x1 + 4, y1 + 4); ctx.moveTo(x1 + 4, y1 - 4); ctx.lineTo(x1 - 4, y1 + 4); ctx.stroke();
    }
    ctx.lineWidth = 1;
    if (this.rowH >= 14 && Math.abs(y1 - y0) > 24 && type) {
      ctx.font = '9px system-ui, sans-serif'; ctx.fillStyle = color;
      ctx.fillText((ar.dup ? 'dup ' : '') + type, (x0 + x1) / 2 + 3, (y0 + y1) / 2);
    }
  }

  /** The state summary of the event's node after its step: the latest snapshot at or before it. */
  stateAt(pos, states, snaps) {
    const node = this.trace.nodeName(pos);
    const list = snaps && snaps[node];
    if (!list) return null;
    const idx = this.trace.i[pos];
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid][0] <= idx) lo = mid + 1; else hi = mid; }
    return lo === 0 ? null : { text: states[list[lo - 1][1]], since: list[lo - 1][0] };
  }
}

/** Builds the filter panel: lanes, kinds grouped (with counts), a search box. */
function simBuildFilters(el, diagram) {
  const tr = diagram.trace;
  const counts = new Map();
  for (let p = 0; p < tr.size; p++) counts.set(tr.k[p], (counts.get(tr.k[p]) || 0) + 1);
  el.textContent = '';
  const h = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };
  const box = (label, checked, onChange, title) => {
    const l = h('label', null, 'check'); const c = h('input'); c.type = 'checkbox'; c.checked = checked;
    c.addEventListener('change', () => onChange(c.checked)); l.appendChild(c); l.appendChild(document.createTextNode(' ' + label));
    if (title) l.title = title; return l;
  };
  const search = h('input'); search.type = 'search'; search.placeholder = 'search details…'; search.id = 'search';
  search.addEventListener('input', () => { diagram.search = search.value; diagram.redraw(); });
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !search.value) return;
    const needle = search.value.toLowerCase();
    const from = diagram.selected < 0 ? 0 : diagram.rowAtOrAfter(diagram.selected) + 1;
    for (let r = 0; r < diagram.visible.length; r++) {
      const pos = diagram.visible[(from + r) % diagram.visible.length];
      if (tr.d[pos].toLowerCase().includes(needle) || tr.kindOf(pos).includes(needle)) { diagram.select(pos, true); return; }
    }
  });
  el.appendChild(search);
  el.appendChild(h('h3', 'nodes'));
  tr.nodes.forEach((name, l) => el.appendChild(box(name, diagram.laneVisible[l], (on) => diagram.setLaneVisible(l, on))));
  const groups = new Map();
  tr.kinds.forEach((kind, id) => {
    const g = SimKinds.group(kind);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push([kind, id]);
  });
  for (const g of ['write-path points', 'lifecycle', 'faults', 'messages', 'checks', 'plumbing']) {
    if (!groups.has(g)) continue;
    const sec = h('div', null, 'kind-group'); sec.dataset.group = g;
    const title = h('h3', g);
    sec.appendChild(title);
    for (const [kind, id] of groups.get(g).sort()) {
      sec.appendChild(box(kind + ' (' + (counts.get(id) || 0) + ')', diagram.isKindVisible(id), (on) => diagram.setKindVisible(kind, on)));
    }
    el.appendChild(sec);
  }
}

/** The details of one event, as DOM: fields, attributes, its message's other events, and its node's state. */
function simRenderDetails(el, diagram, pos, stateInfo) {
  const tr = diagram.trace;
  el.textContent = '';
  if (pos < 0) { el.textContent = 'Click an event to see its details.'; return; }
  const h = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const kind = tr.kindOf(pos);
  el.appendChild(h('h3', '#' + tr.i[pos] + ' ' + kind, 'event-title'));
  const dl = h('dl');
  const row = (k, v) => { dl.appendChild(h('dt', k)); dl.appendChild(h('dd', v)); };
  row('time', simFormatNanos(tr.t[pos]) + ' (' + tr.t[pos] + ' ns)');
  row('node', tr.nodeName(pos));
  row('kind', kind + (SimKinds.isPoint(kind) ? ' (write-path point)' : ''));
  el.appendChild(dl);
  const detail = h('pre', tr.d[pos], 'detail'); detail.id = 'event-detail';
  el.appendChild(detail);
  if (tr.m[pos] >= 0) {
    const msg = tr.messages.get(tr.m[pos]);
    el.appendChild(h('h4', 'message ' + tr.m[pos] + ' · ' + tr.types[tr.y[pos]] + ' · ' + tr.nodes[tr.f[pos]] + ' → ' + tr.nodes[tr.o[pos]]));
    const ul = h('ul', undefined, 'links');
    const link = (p) => {
      const li = h('li'); const a = h('a', '#' + tr.i[p] + ' ' + tr.kindOf(p) + ' at ' + simFormatNanos(tr.t[p]) + ' (' + tr.nodeName(p) + ')');
      a.href = '#'; a.addEventListener('click', (e) => { e.preventDefault(); diagram.select(p, true); }); li.appendChild(a); ul.appendChild(li);
    };
    if (msg.send >= 0) link(msg.send);
    msg.arrivals.forEach(link);
    if (msg.arrivals.length > 1) ul.appendChild(h('li', 'delivered ' + msg.arrivals.length + ' times: a duplicate', 'warn'));
    el.appendChild(ul);
  }
  const attrs = tr.attrs.get(pos);
  if (attrs) {
    el.appendChild(h('h4', 'attributes'));
    const t = h('table', undefined, 'attrs');
    for (const [k, v] of Object.entries(attrs)) {
      const r = h('tr'); r.appendChild(h('th', k)); r.appendChild(h('td', Array.isArray(v) ? v.join(', ') : String(v))); t.appendChild(r);
    }
    el.appendChild(t);
  }
  if (stateInfo) {
    el.appendChild(h('h4', tr.nodeName(pos) + ' after this step' + (stateInfo.since < tr.i[pos] ? ' (as of #' + stateInfo.since + ')' : '')));
    const st = h('pre', stateInfo.text, 'state'); st.id = 'event-state';
    el.appendChild(st);
  }
}

/** The checks list: each check event, coloured by status, click to jump; counterexamples listed under theirs. */
function simRenderChecks(el, diagram) {
  const tr = diagram.trace;
  el.textContent = '';
  const h = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  if (tr.checks.length === 0) { el.appendChild(h('p', 'no checks yet (they run at the end)', 'muted')); return; }
  const ul = h('ul', undefined, 'checks');
  for (const pos of tr.checks) {
    const a = tr.attrs.get(pos) || {};
    const kind = tr.kindOf(pos);
    const status = kind === 'invariant.violated' ? 'VIOLATED' : kind === 'lesson.departed' ? 'DEPARTED' : a.status;
    const li = h('li', undefined, 'check status-' + String(status).toLowerCase());
    const link = h('a', status + ' ' + (a.check || kind));
    link.href = '#'; link.title = tr.d[pos];
    link.addEventListener('click', (e) => { e.preventDefault(); diagram.select(pos, true); });
    li.appendChild(link);
    const cx = tr.counterexamples.find((c) => c.pos === pos);
    if (cx) {
      const ops = h('ul', undefined, 'ops');
      for (const op of cx.ops) ops.appendChild(h('li', '#' + op.id + ' client ' + op.client + ': ' + op.what + ' [' + simFormatNanos(op.invoke) + ', ' + (op.ret === Infinity ? '?' : simFormatNanos(op.ret)) + ']'));
      li.appendChild(ops);
    }
    ul.appendChild(li);
  }
  el.appendChild(ul);
}
