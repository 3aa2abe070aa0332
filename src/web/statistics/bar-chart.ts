/** One bar: its words, and its count, or none where the cell is suppressed. */
interface Bar {
  label: string;
  count: number | null;
  suppressed: boolean;
  shown: string;
}

const LABEL_WIDTH = 280;
const BAR_WIDTH = 360;
const VALUE_WIDTH = 100;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 20;

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * A horizontal bar chart as SVG markup, drawn on the server: readable without JavaScript and with no chart
 * library. A suppressed cell has no bar and says "Suppressed", as its table row does. The chart is an image whose
 * title and description name it and point to the table before it, which holds the same figures for screen readers.
 * Only presentation attributes, no style attribute: the pages' policy allows no inline style.
 */
export function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const largest = Math.max(1, ...bars.map((bar) => (bar.suppressed ? 0 : (bar.count ?? 0))));
  const height = bars.length * ROW_HEIGHT + 10;
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const rows = bars.map((bar, n) => {
    const y = n * ROW_HEIGHT + 5;
    const length = bar.suppressed ? 0 : Math.round(((bar.count ?? 0) / largest) * BAR_WIDTH);
    const textY = y + BAR_HEIGHT / 2 + 5;
    return [
      `<text x="${LABEL_WIDTH - 10}" y="${textY}" text-anchor="end" font-size="16" fill="#0b0c0c">${escapeXml(bar.label)}</text>`,
      length > 0 ? `<rect x="${LABEL_WIDTH}" y="${y}" width="${length}" height="${BAR_HEIGHT}" fill="#1d70b8"/>` : '',
      `<text x="${LABEL_WIDTH + length + 8}" y="${textY}" font-size="16" fill="#0b0c0c"${bar.suppressed ? ' font-style="italic"' : ''}>${escapeXml(bar.shown)}</text>`,
    ].join('');
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-bar-chart" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="${id}-chart-title ${id}-chart-desc">` +
    `<title id="${id}-chart-title">${escapeXml(title)}: bar chart</title>` +
    `<desc id="${id}-chart-desc">The same figures as the table before it; suppressed groups have no bar.</desc>` +
    `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}" stroke="#0b0c0c" stroke-width="1"/>` +
    rows.join('') +
    `</svg>`
  );
}
