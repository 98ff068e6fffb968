// A dependency-free SVG chart: stacked panels of horizontal bars (log scale where values span decades).

const COLORS = { ours: '#e4572e', peer: '#4c78a8', reference: '#9e9e9e' };
const WIDTH = 960;
const LABEL_W = 250;
const BAR_W = 560;
const ROW_H = 18;

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function formatValue(value, unit) {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/**
 * panels: [{ title, unit, log, note?, rows: [{ label, value, kind }] }] (rows without a finite value are listed as
 * "n/a"). Returns the SVG text.
 */
export function chart(title, subtitle, panels) {
  const parts = [];
  let y = 56;
  for (const panel of panels) {
    const values = panel.rows.map((r) => r.value).filter((v) => Number.isFinite(v) && v > 0);
    if (values.length === 0) continue;
    const lo = panel.log ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0;
    const hi = panel.log ? 10 ** Math.ceil(Math.log10(Math.max(...values))) : Math.max(...values) * 1.05;
    const scale = (v) => (panel.log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo) || 1) : v / hi) * BAR_W;
    parts.push(`<text x="10" y="${y}" class="panel">${escape(panel.title)}${panel.log ? ' (log scale)' : ''}</text>`);
    if (panel.note) parts.push(`<text x="${WIDTH - 10}" y="${y}" class="note" text-anchor="end">${escape(panel.note)}</text>`);
    y += 8;
    const top = y;
    for (const row of panel.rows) {
      const ok = Number.isFinite(row.value) && row.value > 0;
      parts.push(`<text x="${LABEL_W - 8}" y="${y + 13}" class="label" text-anchor="end">${escape(row.label)}</text>`);
      if (ok) {
        const w = Math.max(1, scale(row.value));
        parts.push(`<rect x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 5}" fill="${COLORS[row.kind] ?? COLORS.peer}"/>`);
        parts.push(`<text x="${LABEL_W + w + 5}" y="${y + 13}" class="value">${escape(formatValue(row.value, panel.unit))}</text>`);
      } else {
        parts.push(`<text x="${LABEL_W + 5}" y="${y + 13}" class="value">${escape(row.missing ?? 'n/a')}</text>`);
      }
      y += ROW_H;
    }
    if (panel.log) {
      // Decade grid lines, so a bar's length reads as orders of magnitude.
      for (let d = lo; d <= hi * 1.0001; d *= 10) {
        const x = LABEL_W + scale(d);
        parts.push(`<line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${y}" class="grid"/>`);
        parts.push(`<text x="${x.toFixed(1)}" y="${y + 11}" class="tick" text-anchor="middle">${d >= 1 ? d : d.toPrecision(1)}</text>`);
      }
      y += 12;
    }
    y += 26;
  }
  const legend = Object.entries({ ours: 'golem-exec (ours)', peer: 'peer', reference: 'native reference' })
    .map(([kind, text], i) => `<rect x="${WIDTH - 420 + i * 140}" y="10" width="12" height="12" fill="${COLORS[kind]}"/><text x="${WIDTH - 403 + i * 140}" y="20" class="label">${text}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif">
<style>.title{font-size:16px;font-weight:bold}.sub{font-size:11px;fill:#555}.panel{font-size:13px;font-weight:bold}.note{font-size:10px;fill:#555}.label{font-size:11px}.value{font-size:10px;fill:#333}.tick{font-size:9px;fill:#777}.grid{stroke:#ddd;stroke-width:1}</style>
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" class="title">${escape(title)}</text>
<text x="10" y="38" class="sub">${escape(subtitle)}</text>
${legend}
${parts.join('\n')}
</svg>
`;
}
