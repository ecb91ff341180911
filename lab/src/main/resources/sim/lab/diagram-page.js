// The static diagram page: reads the run embedded in the file and wires the panels.
(function () {
  const data = JSON.parse(document.getElementById('trace-data').textContent);
  const trace = new SimTrace(data.nodes);
  trace.append(data);
  const $ = (id) => document.getElementById(id);
  const header = data.header || {}, footer = data.footer || {};
  $('run-name').textContent = (header.scenario || 'run') + ' · seed ' + header.seed;
  $('run-meta').textContent = (header.fault_plan ? 'faults: ' + header.fault_plan : 'no faults') + (header.replay ? ' · ' + header.replay : '');
  const res = $('run-result');
  res.textContent = (footer.result || '?') + ' · ' + (footer.events || trace.size) + ' events · trace ' + (footer.trace_hash || '?');
  res.className = footer.result === 'OK' ? 'result-ok' : 'result-bad';
  const scrub = $('scrubber');
  const tMax = trace.size > 0 ? trace.t[trace.size - 1] : 0;
  const diagram = new SimDiagram($('diagram'), trace, {
    onSelect: (pos) => simRenderDetails($('details'), diagram, pos, pos >= 0 ? diagram.stateAt(pos, data.states, data.snaps) : null),
    onScroll: () => showPosition(),
    onLaneClick: (lane) => { const box = $('filters').querySelectorAll('label.check input')[lane]; if (box) box.focus(); },
  });
  function showPosition() {
    const v = diagram.visible;
    if (v.length === 0) { $('position').textContent = 'no events pass the filters'; return; }
    const top = v[Math.min(diagram.scrollRow, v.length - 1)];
    const bottom = v[Math.min(v.length - 1, diagram.scrollRow + diagram.pageRows() - 1)];
    $('position').textContent = simFormatNanos(trace.t[top]) + ' – ' + simFormatNanos(trace.t[bottom]) + ' · rows ' + (diagram.scrollRow + 1) + '–' + (diagram.scrollRow + diagram.pageRows()) + ' of ' + v.length;
    if (document.activeElement !== scrub) scrub.value = tMax > 0 ? Math.round(1000 * trace.t[top] / tMax) : 0;
  }
  scrub.addEventListener('input', () => diagram.scrollToTime(tMax * scrub.value / 1000));
  $('zoom-in').addEventListener('click', () => diagram.zoom(1.4));
  $('zoom-out').addEventListener('click', () => diagram.zoom(1 / 1.4));
  simBuildFilters($('filters'), diagram);
  simRenderChecks($('checks'), diagram);
  const violation = trace.checks.find((p) => trace.kindOf(p) === 'invariant.violated');
  if (violation !== undefined) {
    const v = $('violation'); v.hidden = false; v.textContent = 'VIOLATION ' + trace.d[violation] + ' (click to see it)';
    v.addEventListener('click', () => diagram.select(violation, true));
  }
  showPosition();
  window.simDiagram = diagram;
})();
