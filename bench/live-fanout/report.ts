/** Number formatting and the plain-text table the benchmark prints. */

export const integer = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** µs → ms with sensible precision. */
export function millis(micros: number): string {
  if (!Number.isFinite(micros)) return '–';
  const ms = micros / 1000;
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

/** A Markdown table (readable as is in a terminal, pasteable into docs/benchmarks.md). */
export function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `| ${widths.map((width, c) => (rightAligned[c] ? '-'.repeat(width - 1) + ':' : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
