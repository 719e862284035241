// Pieces every console page uses: amounts, times, statuses, filter forms kept in the URL, the
// cursor pager (SPEC §4's startingAfter), messages, and the 404 page. All through html``.
import { formatMinorUnits } from '../../bank-files/decimal-amount.ts';
import { isCurrency, minorUnitExponent } from '../../money/currencies.ts';
import type { Part } from '../html.ts';
import { Html, html } from '../html.ts';

/** An amount in minor units as a decimal with its currency: 150000 SGD → "1,500.00 SGD" (string arithmetic). */
export function money(amount: number, currency: string): string {
  const exponent = isCurrency(currency) ? minorUnitExponent(currency) : 2;
  const negative = amount < 0;
  const text = formatMinorUnits(Math.abs(amount), exponent);
  const [whole, fraction] = text.split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/** An ISO instant as "2026-12-07 15:04:05 UTC" in a <time> element. */
export function time(iso: string | undefined | null): Html {
  if (!iso) return html``;
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC</time>`;
}

const OK = new Set(['COMPLETED', 'APPROVED', 'delivered', 'enabled', 'ok', 'uploaded', 'applied', 'accepted']);
const DANGER = new Set(['FAILED', 'REJECTED', 'EXPIRED', 'failed', 'disabled', 'error', 'rejected', 'canceled']);
const WARN = new Set(['PENDING', 'pending', 'SUBMITTED', 'unknown']);

/** A status as a badge (its colour from the stylesheet; the text says it all). */
export function status(value: string | undefined | null): Html {
  if (!value) return html``;
  const tone = OK.has(value) ? ' ok' : DANGER.has(value) ? ' danger' : WARN.has(value) ? ' warn' : '';
  return html`<span class="badge${tone} status status-${value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}">${value}</span>`;
}

/** The query string of `params` (empty values dropped), with a leading '?', or ''. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * Cursor pages: the first page, and "Next" to the page after the last id shown. A cursor list
 * cannot go back by itself: "First page" restarts (the browser's Back button returns too).
 */
export function pager(path: string, filters: Record<string, string | undefined>, page: { data: { id: string }[]; hasMore: boolean }, cursor?: string): Html {
  const last = page.data[page.data.length - 1];
  return html`<nav class="pager" aria-label="Pages">
    ${cursor ? html`<a href="${path}${queryString(filters)}">First page</a>` : ''}
    ${page.hasMore && last ? html`<a rel="next" href="${path}${queryString({ ...filters, startingAfter: last.id })}">Next page</a>` : ''}
  </nav>`;
}

export interface FilterField {
  name: string;
  label: string;
  /** text (default), date, or a choice among options ('' = any). */
  kind?: 'text' | 'date' | 'select';
  options?: readonly string[];
}

/** A GET form whose fields are the URL's query: filters are links one can share and reload. */
export function filterForm(action: string, fields: readonly FilterField[], values: Record<string, string | undefined>): Html {
  return html`<form class="filters" method="get" action="${action}" role="search">
    ${fields.map((f) => {
      const id = `f-${f.name}`;
      const value = values[f.name] ?? '';
      if (f.kind === 'select')
        return html`<label for="${id}"
          >${f.label}
          <select id="${id}" name="${f.name}">
            <option value="">Any</option>
            ${(f.options ?? []).map((o) => html`<option value="${o}" ${o === value ? html`selected` : ''}>${o}</option>`)}
          </select></label
        >`;
      return html`<label for="${id}">${f.label} <input id="${id}" name="${f.name}" type="${f.kind ?? 'text'}" value="${value}" /></label>`;
    })}
    <button type="submit">Filter</button>
  </form>`;
}

/** A message box: notices (role status) and errors (role alert). */
export function message(kind: 'notice' | 'error', text: Part): Html {
  return html`<div class="alert ${kind === 'error' ? 'error' : 'ok'} message message-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}

/** The hidden CSRF field of a state-changing form (console-core checks it). */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** A table with a caption, or a line saying there is nothing. */
export function table(caption: string, head: readonly string[], rows: readonly Html[], empty = 'Nothing to show.'): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${head.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

/** A delivery's attempts as a list (when, HTTP status or error, duration), or 'none yet'. */
export function attemptsList(attempts: readonly { attemptedAt: string; statusCode?: number; error?: string; durationMs: number }[]): Html | string {
  if (attempts.length === 0) return 'none yet';
  return html`<ol>
    ${attempts.map(
      (a) => html`<li>${time(a.attemptedAt)}: ${a.statusCode !== undefined ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer')} (${a.durationMs} ms)</li>`,
    )}
  </ol>`;
}

/** One query parameter as a string (a repeated one: its first value), or undefined when empty. */
export function param(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim().slice(0, 200) : undefined;
}

/** A form field as sent (trimmed, not cut): the service checks its length and says so. */
export function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

/** A cursor as the API takes it (`prefix_ULID`), else undefined: a mistyped one starts over. */
export function cursorParam(query: unknown): string | undefined {
  const c = param(query, 'startingAfter');
  return c && /^[a-z]+_[0-9A-Z]{26}$/.test(c) ? c : undefined;
}

/** A YYYY-MM-DD date parameter, else undefined (a date input sends exactly that). */
export function dateParam(query: unknown, name: string): string | undefined {
  const d = param(query, name);
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ? d : undefined;
}

/** One of `options`, else undefined. */
export function choiceParam<T extends string>(query: unknown, name: string, options: readonly T[]): T | undefined {
  const v = param(query, name);
  return v !== undefined && (options as readonly string[]).includes(v) ? (v as T) : undefined;
}

export { Html };
