// Server-rendered HTML for the console: a tagged template that escapes every interpolated value
// unless it is already Html (another template's output, or raw() for markup we wrote ourselves).
//
// Why not @kitajs/html JSX: its children are NOT escaped unless marked `safe` (a forgotten
// attribute is an XSS), and it needs a TSX compile setting and a language-service plugin to catch
// that. Here escaping is the default and the unsafe path has a name to grep for (raw). Templates
// are ordinary TypeScript functions, so the compiler checks every value they take.

/** Markup that is safe to send: built by html`` (escaped) or raw() (ours). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template interpolates: text (escaped), numbers, Html, nothing, or a list of these. */
export type Part = Html | string | number | bigint | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (part === null || part === undefined || part === false || part === true) return '';
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part));
}

/** html`<p>${name}</p>`: `name` is escaped; nested html`` and lists of them are not escaped again. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup written by us, never text from a user, a client or a bank file. */
export function raw(markup: string): Html {
  return new Html(markup);
}
