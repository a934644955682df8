/** Just enough MIME (RFC 2045/2047) to write mail a mail client opens as it was meant. */

const crlf = '\r\n';
const printableAscii = /^[\x20-\x7e]*$/;

export const assertHeaderValue = (name: string, value: string): void => {
  // A line break in a header value would let the caller write headers (or a body) of their own.
  if (/[\r\n]/.test(value)) throw new TypeError(`mail header ${name} must not contain line breaks`);
};

/** RFC 2047 encoded-words for non-ASCII text, each under the 75-character limit. */
export const encodeHeaderText = (text: string): string => {
  if (printableAscii.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words
    .map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`)
    .join(`${crlf} `);
};

const hexByte = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

const encodeLine = (line: string): string => {
  const bytes = Buffer.from(line, 'utf8');
  const tokens = [...bytes].map((byte, index) => {
    const last = index === bytes.length - 1;
    const literal =
      (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
    return literal ? String.fromCharCode(byte) : hexByte(byte);
  });
  const lines: string[] = [];
  let current = '';
  for (const token of tokens) {
    // 76 characters at most, counting the `=` of a soft break.
    if (current.length + token.length > 75) {
      lines.push(`${current}=`);
      current = '';
    }
    current += token;
  }
  lines.push(current);
  return lines.join(crlf);
};

/** Quoted-printable: ASCII stays readable in the file, and no line exceeds 76 characters. */
export const quotedPrintable = (text: string): string =>
  text
    .split(/\r\n|\r|\n/)
    .map(encodeLine)
    .join(crlf);

/** RFC 5322 date-time in UTC. */
export const mailDate = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

export const headerLines = (headers: readonly (readonly [string, string])[]): string =>
  headers.map(([name, value]) => `${name}: ${value}${crlf}`).join('');

export const textPart = (subtype: 'plain' | 'html', body: string): string =>
  headerLines([
    ['Content-Type', `text/${subtype}; charset=utf-8`],
    ['Content-Transfer-Encoding', 'quoted-printable'],
  ]) +
  crlf +
  quotedPrintable(body) +
  crlf;

export const multipartAlternative = (boundary: string, parts: readonly string[]): string =>
  parts.map((part) => `--${boundary}${crlf}${part}`).join('') + `--${boundary}--${crlf}`;

export { crlf };
