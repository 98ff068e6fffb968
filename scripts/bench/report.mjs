// Turns build/bench/results.json into BENCHMARKS.md (tables, targets, ratios pair by pair) and BENCHMARKS.svg.
// The narrative "What we tried" lives in scripts/bench/what-we-tried.md and is copied in, so a re-run keeps it.
//
//   node scripts/bench/report.mjs        re-renders both files from the last results.json (no measuring)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geomean, median } from './stats.mjs';
import { chart } from './svg.mjs';
import { EVERYDAY, WARM_PAUSE_MS, WORKLOADS } from './workloads.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const OURS = { javascript: 'golem-exec-js', python: 'golem-exec-py' };
const LANGUAGE_TITLE = { javascript: 'JavaScript', python: 'Python' };

const ok = (entry) => entry && !entry.error && !entry.unavailable;
const fmt = (value, digits) => {
  if (!Number.isFinite(value)) return 'n/a';
  const d = digits ?? (value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3);
  return value.toFixed(d);
};
/** Why a subject has no number: unavailable here, failed, or not measured. */
const why = (entry) => (entry?.unavailable ? `not measurable here: ${entry.unavailable}` : entry?.error ? `failed: ${entry.error}` : 'n/a');

/** "2.3× faster" / "4.1× slower" for times where lower is better (ours vs peer). */
function timeRatio(ours, peer) {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || ours <= 0 || peer <= 0) return 'n/a';
  return ours <= peer ? `**${fmt(peer / ours, 1)}× faster**` : `${fmt(ours / peer, 1)}× slower`;
}
function rateRatio(ours, peer) {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || ours <= 0 || peer <= 0) return 'n/a';
  return ours >= peer ? `**${fmt(ours / peer, 1)}× more**` : `${fmt(peer / ours, 1)}× fewer`;
}
function memRatio(ours, peer) {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || ours <= 0 || peer <= 0) return 'n/a';
  return ours <= peer ? `**${fmt(peer / ours, 1)}× less**` : `${fmt(ours / peer, 1)}× more`;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Per subject and workload of a section (`cpu`, `everyday`): the median in-program ms and the checksum. */
function cpuMedians(results, name, section = 'cpu') {
  const entry = results[section]?.[name];
  if (!ok(entry)) return undefined;
  const out = {};
  for (const [workload, runs] of Object.entries(entry.results)) {
    out[workload] = { ms: median(runs.map((r) => r.ms)), wallMs: median(runs.map((r) => r.wallMs)), check: runs[0]?.check };
  }
  return out;
}

/** The workloads a section runs. */
const SECTION_WORKLOADS = { cpu: WORKLOADS, everyday: EVERYDAY };

/** Per workload of a section: ours.ms / peer.ms (below 1: ours is faster); undefined when either is missing. */
function cpuRatios(results, ours, peer, section = 'cpu') {
  const a = cpuMedians(results, ours, section);
  const b = cpuMedians(results, peer, section);
  if (!a || !b) return undefined;
  return SECTION_WORKLOADS[section].map((w) => ({ name: w.name, ratio: a[w.name]?.ms / b[w.name]?.ms }));
}

/** Geometric mean over workloads of ours.ms / peer.ms (below 1: ours is faster). */
function cpuGeoRatio(results, ours, peer, section = 'cpu') {
  const ratios = cpuRatios(results, ours, peer, section);
  return ratios ? geomean(ratios.map((r) => r.ratio)) : NaN;
}

/** The workload where ours fares worst against `peer`: { name, ratio }, or undefined. */
function worstRatio(results, ours, peer, section = 'cpu') {
  const ratios = cpuRatios(results, ours, peer, section)?.filter((r) => Number.isFinite(r.ratio));
  return ratios?.length ? ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : undefined;
}

function subjectsOf(results, language) {
  return Object.entries(results.subjects).filter(([, info]) => info.language === language).map(([name]) => name);
}

function targets(results) {
  const r = results;
  const js = OURS.javascript;
  const py = OURS.python;
  const rows = [];
  const add = (what, goal, value, met, unit = 'ms') => rows.push([what, goal, Number.isFinite(value) ? `${fmt(value)} ${unit}` : 'n/a',
    Number.isFinite(value) ? (met ? 'met' : '**not met**') : 'not measured']);
  add('warm hello-world p50, JavaScript', '≤ 0.2 ms', r.warm[js]?.p50, r.warm[js]?.p50 <= 0.2);
  add('warm hello-world p50, Python', '≤ 0.25 ms', r.warm[py]?.p50, r.warm[py]?.p50 <= 0.25);
  add('fresh isolated instance per run, JavaScript', '≤ 3 ms', r.fresh[js]?.p50, r.fresh[js]?.p50 <= 3);
  add('fresh isolated instance per run, Python', '≤ 5 ms', r.fresh[py]?.p50, r.fresh[py]?.p50 <= 5);
  add('cold start, JavaScript', '≤ 30 ms', r.cold[js]?.p50, r.cold[js]?.p50 <= 30);
  add('cold start, Python', '≤ 180 ms', r.cold[py]?.p50, r.cold[py]?.p50 <= 180);
  const vsPyodide = r.cold.pyodide?.p50 / r.cold[py]?.p50;
  add('cold start, Python vs pyodide', '≥ 10× faster', vsPyodide, vsPyodide >= 10, '× faster');
  const pyVsNative = cpuGeoRatio(r, py, 'python3-process');
  add('CPU-bound Python vs native CPython (geomean of time ratios)', '≤ 1.4×', pyVsNative, pyVsNative <= 1.4, '× native time');
  const jsVsQuick = 1 / cpuGeoRatio(r, js, 'quickjs-emscripten');
  add('CPU-bound JavaScript vs quickjs-emscripten (geomean speed-up)', '≥ 1.5× faster', jsVsQuick, jsVsQuick >= 1.5, '× faster');
  add('RSS after start, JavaScript (whole Node process)', '≤ 80 MB', r.cold[js]?.rssAfterStartMb, r.cold[js]?.rssAfterStartMb <= 80, 'MiB');
  add('RSS after start, Python (whole Node process)', '≤ 120 MB', r.cold[py]?.rssAfterStartMb, r.cold[py]?.rssAfterStartMb <= 120, 'MiB');
  return table(['target (issue 7)', 'goal', 'measured', 'status'], rows);
}

/** "37.0 ms / 4.86 ms = 7.61×": ours against the peer and their ratio (ours ÷ peer). */
function versus(ours, peer, unit = 'ms') {
  const ratio = ours / peer;
  return Number.isFinite(ratio) ? `${fmt(ours)} ${unit} / ${fmt(peer)} ${unit} = **${fmt(ratio, 2)}×**` : 'n/a';
}

/**
 * Issue 16's goals, each a ratio of ours to a peer measured in this run: `ratio` (ours ÷ peer, lower is better for
 * every row) against `limit`.
 */
function peerGoals(results) {
  const r = results;
  const py = OURS.python;
  const js = OURS.javascript;
  const rows = [];
  const add = (goal, limit, ratio, measured) => rows.push([goal, `≤ ${limit}×`, measured,
    Number.isFinite(ratio) ? (ratio <= limit ? 'met' : '**not met**') : 'not measured']);
  const pair = (section, field, peer, ours = py) => {
    const a = r[section]?.[ours]?.[field];
    const b = r[section]?.[peer]?.[field];
    return { ratio: a / b, measured: versus(a, b, field.endsWith('Mb') ? 'MiB' : 'ms') };
  };
  const row = (goal, limit, { ratio, measured }) => add(goal, limit, ratio, measured);
  row('Python: fresh isolated sandbox run (p50) vs eryx `Sandbox()` + `execute`', 1, pair('fresh', 'p50', 'eryx'));
  row('Python: pooled (warm) run (p50) vs eryx re-`execute` on one sandbox', 1, pair('warm', 'p50', 'eryx'));
  const cpuGeo = cpuGeoRatio(r, py, 'eryx');
  add('Python: CPU-bound geomean of time ratios vs eryx', 1, cpuGeo, Number.isFinite(cpuGeo) ? `**${fmt(cpuGeo, 2)}×** eryx's time` : 'n/a');
  const cpuWorst = worstRatio(r, py, 'eryx');
  add('Python: worst CPU workload vs eryx', 1.3, cpuWorst?.ratio, cpuWorst ? `${cpuWorst.name}: **${fmt(cpuWorst.ratio, 2)}×**` : 'n/a');
  row('Python: new process to first result (p50) vs eryx', 2, pair('cold', 'p50', 'eryx'));
  row('Python: RSS after start vs eryx (whole process)', 1.5, pair('cold', 'rssAfterStartMb', 'eryx'));
  const everydayGeo = cpuGeoRatio(r, js, 'quickjs-emscripten', 'everyday');
  add('JavaScript: everyday workloads, geomean of time ratios vs quickjs-emscripten', 1, everydayGeo,
    Number.isFinite(everydayGeo) ? `**${fmt(everydayGeo, 2)}×** quickjs-emscripten's time` : 'n/a');
  const everydayWorst = worstRatio(r, js, 'quickjs-emscripten', 'everyday');
  add('JavaScript: worst everyday workload vs quickjs-emscripten', 2, everydayWorst?.ratio,
    everydayWorst ? `${everydayWorst.name}: **${fmt(everydayWorst.ratio, 2)}×**` : 'n/a');
  row('JavaScript: fresh isolated sandbox run (p50) vs isolated-vm new isolate + context', 1.5, pair('fresh', 'p50', 'isolated-vm', js));
  for (const language of ['python', 'javascript']) {
    const ours = r.cli?.[language]?.p50;
    const node = r.cli?.nodeE?.p50;
    add(`CLI: \`golem-exec run hello.${language === 'python' ? 'py' : 'js'}\` (p50) vs \`node -e 'console.log(1)'\``, 6, ours / node, versus(ours, node));
  }
  return table(['goal (issue 16)', 'goal', 'ours / peer in this run', 'status'], rows);
}

/** eryx beside ours, measure by measure (Python). */
function eryxSection(results) {
  const py = OURS.python;
  const e = (section, field = 'p50') => results[section]?.eryx?.[field];
  const o = (section, field = 'p50') => results[section]?.[py]?.[field];
  const eryxEntry = ['cold', 'warm', 'fresh', 'session', 'cpu'].map((k) => results[k]?.eryx).find((x) => x && !ok(x));
  if (eryxEntry) return `eryx: ${why(eryxEntry)}.`;
  const rows = [
    ['fresh sandbox + hello-world p50 (ours: `fresh: true` run; eryx: `Sandbox()` + `execute`)', fmt(o('fresh')), fmt(e('fresh')), timeRatio(o('fresh'), e('fresh'))],
    ['fresh sandbox + hello-world p95', fmt(o('fresh', 'p95')), fmt(e('fresh', 'p95')), timeRatio(o('fresh', 'p95'), e('fresh', 'p95'))],
    ['pooled run p50 (ours: `exec.run`; eryx: `execute` again on one `Sandbox`)', fmt(o('warm')), fmt(e('warm')), timeRatio(o('warm'), e('warm'))],
    ['session run p50 (ours: `session.eval`; eryx: `Session.execute`; state kept)', fmt(o('session')), fmt(e('session')), timeRatio(o('session'), e('session'))],
    ['new process → first result p50', fmt(o('cold')), fmt(e('cold')), timeRatio(o('cold'), e('cold'))],
    ['RSS after start + first run, MiB', fmt(o('cold', 'rssAfterStartMb'), 0), fmt(e('cold', 'rssAfterStartMb'), 0), memRatio(o('cold', 'rssAfterStartMb'), e('cold', 'rssAfterStartMb'))],
  ];
  const ours = cpuMedians(results, py);
  const theirs = cpuMedians(results, 'eryx');
  for (const w of WORKLOADS) {
    const differ = ours && theirs && ours[w.name]?.check !== theirs[w.name]?.check;
    rows.push([`CPU ${w.name} (in-program ms)${differ ? ' (**checksums differ**)' : ''}`,
      fmt(ours?.[w.name]?.ms), fmt(theirs?.[w.name]?.ms), timeRatio(ours?.[w.name]?.ms, theirs?.[w.name]?.ms)]);
  }
  const g = cpuGeoRatio(results, py, 'eryx');
  rows.push(['**CPU geometric mean of ratios**', '', '', Number.isFinite(g) ? timeRatio(g, 1) : 'n/a']);
  return table(['measure (ms unless said)', results.subjects[py].label, results.subjects.eryx?.label ?? 'eryx', 'ours vs eryx'], rows);
}

function cliSection(results) {
  const c = results.cli;
  if (!c) return 'Not measured in this run.';
  if (c.error) return `Failed in this run: ${c.error}`;
  const rows = [['`node -e \'console.log(1)\'`', c.nodeE], ['`golem-exec run hello.py`', c.python], ['`golem-exec run hello.js`', c.javascript]]
    .map(([what, s]) => [what, fmt(s.p50), fmt(s.p95), fmt(s.min), String(s.n), s === c.nodeE ? '—' : `${fmt(s.p50 / c.nodeE.p50, 1)}×`]);
  return table(['command (a new process, spawn → exit)', 'p50 ms', 'p95 ms', 'min ms', 'n', 'vs node -e (p50)'], rows);
}

function latencySection(results, key, withRss) {
  const out = [];
  for (const language of ['javascript', 'python']) {
    const ours = OURS[language];
    const rows = subjectsOf(results, language).filter((name) => key in results && name in results[key]).map((name) => {
      const e = results[key][name];
      const label = results.subjects[name].label;
      if (!ok(e)) return [label, why(e), '', '', '', ...(withRss ? [''] : []), ''];
      return [label, fmt(e.p50), fmt(e.p95), fmt(e.min), String(e.n), ...(withRss ? [fmt(e.rssAfterStartMb, 0)] : []),
        name === ours ? '—' : timeRatio(results[key][ours]?.p50, e.p50)];
    });
    out.push(`**${LANGUAGE_TITLE[language]}**\n\n${table(['subject', 'p50 ms', 'p95 ms', 'min ms', 'n', ...(withRss ? ['RSS after start MiB'] : []), 'ours (p50) vs this'], rows)}`);
  }
  return out.join('\n\n');
}

function throughputSection(results) {
  const out = [];
  for (const language of ['javascript', 'python']) {
    const ours = OURS[language];
    const rows = subjectsOf(results, language).filter((name) => name in results.throughput).map((name) => {
      const e = results.throughput[name];
      const label = results.subjects[name].label;
      if (!ok(e)) return [label, why(e), '', '', ''];
      const how = e.workers ? `one process, pool of ${e.workers}` : `${e.processes} processes at once`;
      return [label, fmt(e.perSecond, 1), String(e.runs), how, name === ours ? '—' : rateRatio(results.throughput[ours]?.perSecond, e.perSecond)];
    });
    out.push(`**${LANGUAGE_TITLE[language]}**\n\n${table(['subject', 'hello-world runs/s', 'runs', 'how', 'ours vs this'], rows)}`);
  }
  return out.join('\n\n');
}

/** One language's table of a workload section: in-program ms per subject, ours against each other subject. */
function workloadTable(results, language, section) {
  const ours = OURS[language];
  const workloads = SECTION_WORKLOADS[section];
  const names = subjectsOf(results, language).filter((name) => name in (results[section] ?? {}));
  const medians = Object.fromEntries(names.map((name) => [name, cpuMedians(results, name, section)]));
  const peers = names.filter((n) => n !== ours);
  const header = ['workload', ...names.map((n) => `${results.subjects[n].label} ms`), ...peers.map((n) => `ours vs ${results.subjects[n].label}`)];
  const rows = workloads.map((w) => {
    const checks = new Set(names.map((n) => medians[n]?.[w.name]?.check).filter((c) => c !== undefined));
    const label = `${w.name}: ${w.what}${checks.size > 1 ? ' (**checksums differ**)' : ''}`;
    return [label, ...names.map((n) => (medians[n] ? fmt(medians[n][w.name]?.ms) : why(results[section][n]))),
      ...peers.map((n) => timeRatio(medians[ours]?.[w.name]?.ms, medians[n]?.[w.name]?.ms))];
  });
  rows.push(['**geometric mean of ratios**', ...names.map(() => ''),
    ...peers.map((n) => {
      const g = cpuGeoRatio(results, ours, n, section);
      return Number.isFinite(g) ? timeRatio(g, 1) : 'n/a';
    })]);
  const overhead = medians[ours]
    ? `Our end-to-end time per run (host → guest → result) exceeded the in-program time by a median of ${fmt(median(workloads.map((w) => medians[ours][w.name].wallMs - medians[ours][w.name].ms)), 1)} ms (the per-run overhead measured under "warm").`
    : '';
  return `${table(header, rows)}\n\n${overhead}`;
}

function everydaySection(results) {
  if (Object.keys(results.everyday ?? {}).length === 0) return 'Not measured in this run.';
  return `Library calls of everyday data code (\`EVERYDAY\` in scripts/bench/workloads.mjs), each program timing its own work
like the CPU workloads (median of ${results.meta.quick ? 1 : 3} runs); ours against quickjs-emscripten (a new context per run on a warm
runtime) and V8 with no isolation as the speed reference.

${workloadTable(results, 'javascript', 'everyday')}`;
}

function cpuSection(results) {
  return ['javascript', 'python'].map((language) => `**${LANGUAGE_TITLE[language]}** (median of ${results.meta.quick ? 1 : 3} runs, milliseconds measured inside the program)\n\n${workloadTable(results, language, 'cpu')}`).join('\n\n');
}

function rssSection(results) {
  const rows = Object.entries(results.subjects).map(([name, info]) => {
    const cold = results.cold[name];
    const cpu = results.cpu[name];
    return [info.label, ok(cold) ? fmt(cold.rssAfterStartMb, 0) : why(cold), ok(cpu) ? fmt(cpu.peakRssMb, 0) : why(cpu)];
  });
  return table(['subject', 'RSS after start + first run, MiB', 'peak RSS over the CPU workloads, MiB'], rows);
}

function pairsSection(results) {
  const rows = [];
  for (const language of ['javascript', 'python']) {
    const ours = OURS[language];
    for (const peer of subjectsOf(results, language).filter((n) => n !== ours)) {
      rows.push([`${results.subjects[ours].label} vs ${results.subjects[peer].label}`,
        timeRatio(results.cold[ours]?.p50, results.cold[peer]?.p50),
        timeRatio(results.warm[ours]?.p50, results.warm[peer]?.p50),
        timeRatio(results.fresh[ours]?.p50, results.fresh[peer]?.p50),
        rateRatio(results.throughput[ours]?.perSecond, results.throughput[peer]?.perSecond),
        Number.isFinite(cpuGeoRatio(results, ours, peer)) ? timeRatio(cpuGeoRatio(results, ours, peer), 1) : 'n/a',
        memRatio(results.cold[ours]?.rssAfterStartMb, results.cold[peer]?.rssAfterStartMb)]);
    }
  }
  return table(['pair', 'cold start', 'warm hello p50', 'fresh instance p50', 'throughput', 'CPU (geomean)', 'RSS after start'], rows);
}

/** Flattens another benchmark's JSON into `path | value` rows (numbers rounded). */
function flatten(value, path = '', rows = []) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${key}` : key, rows);
  } else if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
    rows.push([path, value.length > 8 ? `${value.length} values` : value.join(', ')]);
  } else if (Array.isArray(value)) {
    value.forEach((inner, i) => flatten(inner, `${path}[${i}]`, rows));
  } else {
    rows.push([path, typeof value === 'number' && !Number.isInteger(value) ? fmt(value) : String(value)]);
  }
  return rows;
}

function extrasSection(results) {
  const entries = Object.entries(results.extra ?? {});
  if (entries.length === 0) return 'Not measured in this run (`--no-extra`).';
  return entries.map(([name, e]) => {
    const head = `### ${name}: ${e.what}\n\n\`${e.script}\` — ${e.status}${e.command ? ` (\`${e.command}\`)` : ''}.`;
    if (!e.result) return head;
    const rows = flatten(e.result).slice(0, 80).map(([k, v]) => [`\`${k}\``, v]);
    return `${head}\n\n${table(['measure', 'value'], rows)}`;
  }).join('\n\n');
}

function profileSection(results) {
  const p = results.profile;
  if (!p) return 'Not measured in this run.';
  if (p.error) return `Failed in this run: ${p.error}`;
  const rows = [];
  for (const language of ['javascript', 'python']) {
    const x = p[language];
    if (!x) continue;
    const name = LANGUAGE_TITLE[language];
    rows.push([`${name}: library \`exec.run\` (pool worker, files on disk)`, fmt(x.library.p50), fmt(x.library.p95), '', '']);
    rows.push([`${name}: direct WIT call in the caller's thread, files on disk`, fmt(x.directWithPreopen.call.p50), fmt(x.directWithPreopen.call.p95),
      fmt(x.directWithPreopen.wasiMsPerRun, 2), fmt(x.directWithPreopen.wasiCallsPerRun, 0)]);
    rows.push([`${name}: direct, files in guest memory (no preopen)`, fmt(x.directInMemory.call.p50), fmt(x.directInMemory.call.p95),
      fmt(x.directInMemory.wasiMsPerRun, 2), fmt(x.directInMemory.wasiCallsPerRun, 0)]);
    if (x.directInMemoryEmpty) {
      rows.push([`${name}: direct, in memory, empty program`, fmt(x.directInMemoryEmpty.call.p50), fmt(x.directInMemoryEmpty.call.p95),
        fmt(x.directInMemoryEmpty.wasiMsPerRun, 2), fmt(x.directInMemoryEmpty.wasiCallsPerRun, 0)]);
    }
  }
  const top = ['javascript', 'python'].filter((l) => p[l]).map((l) => `${LANGUAGE_TITLE[l]} (files on disk): ${p[l].directWithPreopen.topWasiCalls.slice(0, 5)
    .map((c) => `\`${c.name.replace(/^wasi:/, '')}\` ×${fmt(c.perRun, 0)} = ${fmt(c.msPerRun, 2)} ms`).join(', ')}`).join('\n- ');
  const startup = ['javascript', 'python'].filter((l) => p[l]?.startup).map((l) => {
    const s = p[l].startup;
    return `${LANGUAGE_TITLE[l]}: compile core modules ${fmt(s.compileMs, 0)} ms, worker thread + instance ${fmt(s.workerStartMs, 0)} ms, first run ${fmt(s.firstRunMs, 0)} ms, second run ${fmt(s.secondRunMs, 0)} ms`;
  }).join('; ');
  return `\`node scripts/bench/profile-run.mjs\` (${p.runs} hello-world runs per row; every WASI import is wrapped with a counter and a clock).
A bare worker-thread message round trip (the floor of any worker pool): p50 ${fmt(p.workerRoundTrip.p50)} ms, p95 ${fmt(p.workerRoundTrip.p95)} ms.

${table(['path', 'p50 ms', 'p95 ms', 'WASI ms/run', 'WASI calls/run'], rows)}

Costliest WASI calls per run:
- ${top}

Start-up pieces in one process: ${startup}.`;
}

function chartPanels(results) {
  const names = Object.keys(results.subjects);
  const row = (name, value) => ({ label: results.subjects[name].label, kind: results.subjects[name].kind, value });
  const pick = (section, field) => names.filter((n) => n in results[section]).map((n) => row(n, results[section][n]?.[field]));
  const cpuGeo = names.filter((n) => n in results.cpu).map((n) => {
    const m = cpuMedians(results, n);
    return row(n, m ? geomean(WORKLOADS.map((w) => m[w.name]?.ms)) : NaN);
  });
  return [
    { title: 'Cold start: new process → first hello-world (p50)', unit: 'ms', log: true, rows: pick('cold', 'p50') },
    { title: 'Warm hello-world latency, fresh globals (p50)', unit: 'ms', log: true, rows: pick('warm', 'p50') },
    { title: 'Fresh isolated instance per run (p50)', unit: 'ms', log: true, rows: pick('fresh', 'p50') },
    { title: 'Throughput, all cores busy (hello-world runs/s; longer is better)', unit: '/s', log: true, rows: pick('throughput', 'perSecond') },
    { title: 'CPU-bound workloads: geometric mean of in-program time', unit: 'ms', log: true, rows: cpuGeo },
    { title: 'RSS after start and first run', unit: 'MiB', log: false, rows: pick('cold', 'rssAfterStartMb') },
  ];
}

/** The Markdown report; `chartPath`: the chart's path relative to the Markdown file. */
export function render(results, chartPath = 'BENCHMARKS.svg') {
  const m = results.meta;
  const loads = Object.entries(m.load).map(([k, v]) => `${k} ${v.join('/')}`).join('; ');
  const tried = existsSync(join(HERE, 'what-we-tried.md')) ? readFileSync(join(HERE, 'what-we-tried.md'), 'utf8').trim() : '';
  return `# Benchmarks

Generated by \`${m.command}\` (scripts/bench/) on ${m.date.slice(0, 16).replace('T', ' ')} UTC at commit ${m.commit}${m.uncommitted ? ' (with uncommitted changes to components/ or host/ in the working tree)' : ''}, in ${m.durationS} s.
Reproduce with \`npm install && ${m.command}\`; re-render from the saved numbers with \`node scripts/bench/report.mjs\`.
${m.quick ? '\n**This is a quick smoke run (few repetitions): the numbers are rough.**\n' : ''}
Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB; Node ${m.versions.node}; native ${m.versions.python3} (the
Python guest is CPython 3.14). **The machine is shared**: load average (1/5/15 min) per section: ${loads}. With a
load above the core count, absolute times are inflated and noisy; every section measures all subjects back to back,
so the ratios (pair by pair, same run) are the numbers to compare.

![benchmark chart](${chartPath})

## Against eryx and quickjs-emscripten (issue 16)

The issue's goals as ratios of ours to a peer, measured in this run. eryx is pyeryx ${m.versions.eryx ?? '(not measured in this run)'} from
PyPI, a Python host over componentize-py's CPython 3.14 in wasmtime, in a bench-only venv (\`.cache/eryx-venv\`, made
by the bench), driven by \`scripts/bench/eryx-driver.py\` in a process of its own per section.

${peerGoals(results)}

The issue's last JavaScript goal, CPU workloads not slower than today, compares runs rather than subjects: the
"CPU-bound work" section's JavaScript table against an earlier BENCHMARKS.md.

### Python: ours and eryx, measure by measure

${eryxSection(results)}

### Everyday JavaScript

${everydaySection(results)}

### One CLI call

${cliSection(results)}

## Targets

${targets(results)}

## Ratios, pair by pair

Ours against each peer in the same run ("faster"/"less"/"more" in bold where we win).

${pairsSection(results)}

## Cold start (new process → first hello-world result)

A new \`node\` process that loads the subject and runs \`console.log("hello")\` / \`print("hello")\`; the clock runs
from spawn until the output reaches the parent. Ours: \`new Executor({ poolSize: 1 })\` + \`run\` (compiles the
core modules, starts one worker thread, instantiates the component). Subprocess peers: \`node -e\` / \`python3 -c\`.
eryx: a new \`python\` process that imports eryx, makes a \`Sandbox()\` and executes.

${latencySection(results, 'cold', true)}

## Warm hello-world latency (fresh globals per run)

A run that finds its sandbox ready: ${m.quick ? '' : '200 runs after 20 warm-up runs, '}each after a ${WARM_PAUSE_MS} ms pause (the latency a caller
waits for; what a subject does after a run happens in the pause). Back to back (no pause) below: then each run
competes for the cores with the work the previous one left (ours: putting the instance back into its recorded state,
a memory copy of 14-25 MB, in another sandbox's thread; the pool alternates between two sandboxes).
Ours: \`exec.run\` on a pooled, warm instance (put back into its recorded state after every run). quickjs-emscripten: a new context per run on a warm runtime. isolated-vm: a
new context per run in a warm isolate. pyodide: \`runPython\` with a new globals dict (imported modules stay, as in
ours). node vm: \`vm.runInNewContext\`. node direct: \`new Function\` in the main realm (no isolation; the floor).
eryx: \`execute\` again on one \`Sandbox\` (each execute of a Sandbox starts from fresh state).

${latencySection(results, 'warm', false)}

Back to back:

${latencySection(results, 'warmBackToBack', false)}

## Fresh isolated instance per run

Ours: \`exec.run({ fresh: true })\`, a never-used component instance per run (spares, one per core, are started ahead
from already-compiled modules and replaced in the background, so back-to-back runs measure the sustained rate). quickjs-emscripten: new runtime + context.
isolated-vm: new isolate + context. pyodide: \`loadPyodide()\` per run. Subprocess peers: a new process per run.
eryx: \`Sandbox()\` + \`execute\`.

${latencySection(results, 'fresh', false)}

## Throughput with all cores busy

${throughputSection(results)}

## CPU-bound work

The same algorithm and sizes in both languages (scripts/bench/workloads.mjs); each program times its own work, so
start-up and per-run overhead stay out of these numbers; every subject must print the same checksum.

${cpuSection(results)}

## Memory (RSS)

For in-process subjects: the whole Node process (our worker threads included). Subprocess peers: peak RSS of the
process (GNU time).

${rssSection(results)}

## Where a warm run's time goes

${profileSection(results)}

## Other benchmarks of the project

${extrasSection(results)}

${tried}
`;
}

export function writeReport(results, { markdown, svg }) {
  writeFileSync(markdown, render(results, relative(dirname(markdown), svg)));
  const m = results.meta;
  writeFileSync(svg, chart('golem-exec vs peers', `${m.command} · ${m.date.slice(0, 10)} · ${m.cpu}, ${m.cores} cores · load ${m.load.start.join('/')} at start`, chartPanels(results)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(join(ROOT, 'build', 'bench', 'results.json'), 'utf8'));
  writeReport(results, { markdown: join(ROOT, 'BENCHMARKS.md'), svg: join(ROOT, 'BENCHMARKS.svg') });
}
