/**
 * Text from users' files (check names, model and hardware names) made safe for where it goes:
 * a terminal must not receive control characters or escape sequences it would act on (cursor
 * moves, colours, title changes), and XML 1.0 forbids most control characters outright (a JUnit
 * report with one is not well-formed and CI systems reject it). Each forbidden character is
 * replaced by its visible `\uXXXX` spelling, so the name stays recognisable (docs/ci.md).
 */

/** `\u001b` for ESC: a visible, unambiguous stand-in for an unprintable character. */
function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// C0 controls except tab and newline, DEL, C1 controls; bidirectional overrides that reorder text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Our own colours (render.ts paint): SGR sequences, kept when colour is on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * Text for a terminal: control characters and escape sequences shown as `\uXXXX`. With
 * `keepColour`, SGR colour sequences (ours) pass; names are cleaned at their source
 * (`terminalName`) so that a user's own SGR sequence never counts as ours.
 */
export function terminalSafe(text: string, keepColour = false): string {
  if (!keepColour) return text.replace(TERMINAL_UNSAFE, visible);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    out += text.slice(last, match.index).replace(TERMINAL_UNSAFE, visible) + match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(TERMINAL_UNSAFE, visible);
}

/** A user-supplied name for a table cell or header: one line, no control characters. */
export function terminalName(name: string): string {
  return name.replace(/[\t\n\r]/g, ' ').replace(TERMINAL_UNSAFE, visible);
}

// Not in XML 1.0's Char production: C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF.
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text content for XML 1.0: every character XML forbids shown as `\uXXXX`. */
export function xmlText(text: string): string {
  return text.replace(XML_FORBIDDEN, visible);
}

/** An attribute value for XML 1.0, on one line (parsers turn raw newlines in attributes into spaces anyway). */
export function xmlAttribute(text: string): string {
  return xmlText(text.replace(/[\t\n\r]/g, ' '));
}
