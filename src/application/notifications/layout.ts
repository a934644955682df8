import type { MailMessage } from '../ports/index.js';

/** What a template produces; the caller adds the recipient and tags. */
export type MailContent = Required<Pick<MailMessage, 'subject' | 'text' | 'html'>>;

export type Align = 'left' | 'right';
export type Column = { title: string; align?: Align };

/**
 * A mail is a list of blocks, each rendered once as text and once as HTML, so the two parts of a
 * message always say the same thing and every mail of the service shares one look.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  /** A code the reader types in: on the label's line in text, large on its own line in HTML. */
  | { kind: 'code'; label: string; code: string }
  /** Label: value lines (order id, status, reason). */
  | { kind: 'facts'; rows: readonly (readonly [string, string])[] }
  | {
      kind: 'table';
      columns: readonly Column[];
      rows: readonly (readonly string[])[];
      total?: readonly [string, string];
    };

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Names come from operators and customers: one line each, whatever they typed. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const CELL_MAX = 40;
const clip = (text: string): string => {
  const line = oneLine(text);
  return line.length > CELL_MAX ? `${line.slice(0, CELL_MAX - 1)}…` : line;
};

const pad = (text: string, width: number, align: Align = 'left'): string =>
  align === 'right' ? text.padStart(width) : text.padEnd(width);

const textTable = (block: Extract<Block, { kind: 'table' }>): string => {
  const cells = block.rows.map((row) => row.map(clip));
  const widths = block.columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((row) => (row[index] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    block.columns
      .map((column, index) => pad(row[index] ?? '', widths[index] ?? 0, column.align))
      .join('  ')
      .trimEnd();
  const lines = [line(block.columns.map((column) => column.title)), ...cells.map(line)];
  if (block.total) {
    const [label, value] = block.total;
    const width = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
    lines.push(pad(`${label}  ${value}`, width, 'right'));
  }
  return lines.join('\n');
};

const textFacts = (rows: readonly (readonly [string, string])[]): string => {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${oneLine(value)}`).join('\n');
};

const textBlock = (block: Block): string => {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'code':
      return `${block.label} ${block.code}`;
    case 'facts':
      return textFacts(block.rows);
    case 'table':
      return textTable(block);
    default: {
      const _exhaustive: never = block;
      throw new TypeError(`unknown mail block ${(_exhaustive as Block).kind}`);
    }
  }
};

const cellStyle = (align: Align = 'left') => `padding:4px 8px;text-align:${align}`;

const htmlTable = (block: Extract<Block, { kind: 'table' }>): string => {
  const head = block.columns
    .map(
      (column) =>
        `<th style="${cellStyle(column.align)};border-bottom:1px solid #ccc">${escapeHtml(column.title)}</th>`,
    )
    .join('');
  const rows = block.rows
    .map(
      (row) =>
        `<tr>${block.columns
          .map(
            (column, index) =>
              `<td style="${cellStyle(column.align)}">${escapeHtml(oneLine(row[index] ?? ''))}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  const total = block.total
    ? `<tr><td colspan="${block.columns.length - 1}" style="${cellStyle('right')};border-top:1px solid #ccc"><strong>${escapeHtml(block.total[0])}</strong></td>` +
      `<td style="${cellStyle('right')};border-top:1px solid #ccc"><strong>${escapeHtml(block.total[1])}</strong></td></tr>`
    : '';
  return `<table style="border-collapse:collapse"><thead><tr>${head}</tr></thead><tbody>${rows}${total}</tbody></table>`;
};

const htmlBlock = (block: Block): string => {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'code':
      return (
        `<p>${escapeHtml(block.label)}</p>` +
        `<p style="font-size:24px;letter-spacing:4px"><strong>${escapeHtml(block.code)}</strong></p>`
      );
    case 'facts':
      return `<p>${block.rows
        .map(
          ([label, value]) =>
            `<strong>${escapeHtml(label)}:</strong> ${escapeHtml(oneLine(value))}`,
        )
        .join('<br>')}</p>`;
    case 'table':
      return htmlTable(block);
    default: {
      const _exhaustive: never = block;
      throw new TypeError(`unknown mail block ${(_exhaustive as Block).kind}`);
    }
  }
};

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:sans-serif">${body}</body></html>`;

/** The one layout of every mail: blocks separated by a blank line (text) or as HTML elements. */
export const composeMail = ({
  subject,
  blocks,
}: {
  subject: string;
  blocks: readonly Block[];
}): MailContent => ({
  subject: oneLine(subject),
  text: blocks.map(textBlock).join('\n\n'),
  html: page(oneLine(subject), blocks.map(htmlBlock).join('')),
});
