// A new batch from a CSV or XLSX payroll file (SPEC §11, §12's columns), for makers:
//
// 1. The form: sender account (of the user's clients), rail, currency, payment date, purpose,
//    and the file. Our script (assets/upload.js) sends the file's bytes as
//    application/octet-stream with the settings in the query string: no multipart parser is
//    installed, and no inline script is allowed (CSP).
// 2. The preview: the file read by `readPayrollFile` (src/import/payroll-file.ts, the import CLI's
//    reader: lines as a person sees them, header = line 1), then every chunk of ≤ 1,000 rows
//    checked by the batches service exactly as create checks it (`validate`, the dry run: nothing stored, no
//    reference used up), its error paths (`payments[i].receiver.bank`) mapped back to the file's
//    line and column. EVERY error is listed; nothing can be created from a file with any.
// 3. Submit: the checked rows are kept for this user (30 minutes, in this process), and created
//    one batch per chunk of ≤ 1,000 rows, as the import CLI splits them, each created by the user
//    (so they can never approve them). The page polls a progress fragment and shows a <progress>.
//    Submitting the same preview twice creates nothing new.
import { randomBytes } from 'node:crypto';
import type { Account } from '../../accounts/service.ts';
import type { BatchInput, BatchItem } from '../../batches/schemas.ts';
import { checkBatchShape } from '../../batches/request.ts';
import type { Client } from '../../clients/service.ts';
import { AppError } from '../../errors.ts';
import type { FieldError } from '../../errors.ts';
import { BatchEnvelopeSchema } from '../../batches/schemas.ts';
import { compileFieldValidator } from '../../http/validation.ts';
import { MAX_FILE_BYTES, MAX_FILE_ROWS, columnOfPath, readPayrollFile } from '../../import/payroll-file.ts';
import type { PayrollRow, RowError } from '../../import/payroll-file.ts';
import { todayIn } from '../../calendars/zoned-time.ts';
import { RAIL_TYPES } from '../../rails/rails.ts';
import type { RailType } from '../../rails/rails.ts';
import { html } from '../html.ts';
import type { Html } from '../html.ts';
import type { PageContext, PageResult } from './context.ts';
import { message, money, table } from './parts.ts';

/** Payments per batch, as the import CLI splits a file (the API's batch limit). */
export const CHUNK_SIZE = 1000;
/** How long a checked file waits for its submit. */
const UPLOAD_TTL_MS = 30 * 60_000;

const checkEnvelope = compileFieldValidator(BatchEnvelopeSchema);

/** The batch settings the form sends with the file (query string). */
export interface UploadSettings {
  accountId: string;
  type: RailType;
  currency: string;
  paymentDate: string;
  purpose?: string;
  fileName: string;
}

/** A checked upload waiting for its submit, and then its progress. */
interface Upload {
  id: string;
  userId: string;
  client: Client;
  settings: UploadSettings;
  rows: PayrollRow[];
  expiresAt: number;
  state: 'checked' | 'creating' | 'done' | 'failed';
  created: string[];
  chunks: number;
  error?: string;
}

/** The user's sender accounts: those of every client they were given. */
async function accountsOf(ctx: PageContext): Promise<{ client: string; account: Account }[]> {
  const out: { client: string; account: Account }[] = [];
  for (const client of ctx.user.clientIds) {
    const page = await ctx.deps.services.accounts.list(client, { limit: 100 });
    for (const account of page.data) out.push({ client, account });
  }
  return out;
}

export async function newBatchPage(ctx: PageContext): Promise<PageResult> {
  const accounts = await accountsOf(ctx);
  const currencies = [...new Set(accounts.flatMap((a) => a.account.currencies))].sort();
  // Every rail is in Hong Kong or Singapore time (both UTC+8): "today" is theirs, not UTC's.
  const today = todayIn('Asia/Singapore', ctx.deps.clock());
  const body = html`<h1>New batch from a file</h1>
    <p>
      A CSV (UTF-8) or XLSX file with a header row and the columns
      <code>name</code>, <code>bank</code>, <code>accountNumber</code> (or <code>proxyType</code> and <code>proxyValue</code>), <code>amount</code> (in major
      units, e.g. 1234.50), <code>reference</code>, <code>details</code>, <code>addressLine1</code>–<code>addressLine3</code>, <code>city</code>,
      <code>country</code>. At most 10 MB and 100,000 rows; more than 1,000 rows become several batches of 1,000. Every row is checked before anything is
      created.
    </p>
    ${
      accounts.length === 0
        ? message('error', 'Your clients have no sender account: open one through the API first.')
        : html`<form id="upload-form" class="stack upload" action="/console/batches/new/preview" method="post" data-max-bytes="${MAX_FILE_BYTES}">
            <label for="account">Sender account</label>
            <select id="account" name="account" required>
              ${accounts.map(
                ({ client, account }) =>
                  html`<option value="${account.id}">
                    ${account.name} — ${account.bank} ${account.accountNumber} (${account.currencies.join(', ')}) · ${client}
                  </option>`,
              )}
            </select>
            <label for="type">Rail</label>
            <select id="type" name="type" required>
              ${RAIL_TYPES.map((r) => html`<option value="${r}">${r}</option>`)}
            </select>
            <label for="currency">Currency</label>
            <select id="currency" name="currency" required>
              ${currencies.map((c) => html`<option value="${c}">${c}</option>`)}
            </select>
            <label for="date">Payment date</label>
            <input id="date" name="date" type="date" value="${today}" required />
            <label for="purpose">Purpose (optional, e.g. SALA)</label>
            <input id="purpose" name="purpose" maxlength="4" />
            <label for="file">Payroll file (CSV or XLSX)</label>
            <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
            <button type="submit">Check the file</button>
          </form>`
    }
    <div id="preview" aria-live="polite"></div>`;
  return { title: 'New batch', current: 'upload', body, assets: ['upload.js'] };
}

/** An error of the file: its line (0 = the file or the batch settings as a whole), column, code, message. */
interface LineError {
  line: number;
  column?: string;
  code: string;
  message: string;
}

/** Maps the service's errors of one chunk back to the file: `payments[i].x` → line of row i, column of x. */
function toLineErrors(errors: readonly FieldError[], chunk: readonly PayrollRow[]): LineError[] {
  return errors.map((e) => {
    const m = /^payments\[(\d+)\]\.?(.*)$/.exec(e.path);
    const row = m ? chunk[Number(m[1])] : undefined;
    if (!m || !row) return { line: 0, column: e.path === 'payments' ? undefined : e.path, code: e.code, message: e.message };
    return { line: row.line, column: columnOfPath(m[2]!) ?? (m[2] || undefined), code: e.code, message: e.message };
  });
}

export interface UploadsDeps {
  clock: () => number;
}

/** The checked uploads of this process (see the header: step 3). */
export function createUploads({ clock }: UploadsDeps) {
  const uploads = new Map<string, Upload>();

  function sweep(): void {
    const now = clock();
    for (const [id, u] of uploads) if (u.expiresAt <= now && u.state !== 'creating') uploads.delete(id);
  }

  function inputOf(u: Pick<Upload, 'settings'>, items: BatchItem[], account: Account): BatchInput {
    const s = u.settings;
    const input: BatchInput = {
      type: s.type,
      currency: s.currency,
      senderAccountId: account.id,
      senderAccountCurrency: account.currencies.includes(s.currency) ? s.currency : (account.currencies[0] ?? s.currency),
      paymentDate: s.paymentDate,
      payments: items,
    };
    if (s.purpose) input.purpose = s.purpose;
    return input;
  }

  /** The user's own upload, or undefined (another user's is not theirs to see). */
  function find(ctx: PageContext, id: string): Upload | undefined {
    sweep();
    const u = uploads.get(id);
    return u && u.userId === ctx.user.id ? u : undefined;
  }

  return {
    /**
     * Reads and checks a file: the preview fragment (every error by line, or what will be
     * created and the submit button). Nothing is stored but the checked rows, for the submit.
     */
    async preview(ctx: PageContext, settings: UploadSettings, bytes: Uint8Array): Promise<Html> {
      sweep();
      const found = (await accountsOf(ctx)).find((a) => a.account.id === settings.accountId);
      if (!found) return message('error', 'Choose one of your sender accounts.');
      const { account } = found;
      const client = await ctx.deps.services.clients.get(found.client);
      if (!client) return message('error', 'Choose one of your sender accounts.');
      const read = await readPayrollFile(bytes, {
        fileName: settings.fileName,
        currency: settings.currency,
        type: settings.type,
        maxBytes: MAX_FILE_BYTES,
        maxRows: MAX_FILE_ROWS,
      });
      const errors: LineError[] = read.errors.map((e: RowError) => ({ line: e.line, column: e.field, code: e.code, message: e.message }));
      // The rows the reader accepted, checked by the service in chunks as they will be created.
      // Shared problems (the settings: date, account, currency) come once, not once per chunk.
      const shared = new Set<string>();
      for (let start = 0; start < read.rows.length; start += CHUNK_SIZE) {
        const chunk = read.rows.slice(start, start + CHUNK_SIZE);
        try {
          const { input, schema } = checkBatchShape<BatchInput>(
            inputOf(
              { settings },
              chunk.map((r) => r.item),
              account,
            ),
            checkEnvelope,
          );
          await ctx.deps.services.batches.validate(client, input, schema);
        } catch (err) {
          if (!(err instanceof AppError) || !err.errors) throw err;
          for (const e of toLineErrors(err.errors, chunk)) {
            const key = `${e.column ?? ''}|${e.code}|${e.message}`;
            if (e.line === 0) {
              if (shared.has(key)) continue;
              shared.add(key);
            }
            errors.push(e);
          }
        }
      }
      errors.sort((a, b) => a.line - b.line);
      if (errors.length > 0) {
        const lines = new Set(errors.filter((e) => e.line > 0).map((e) => e.line)).size;
        return html`${message(
          'error',
          html`<strong>${errors.length} ${errors.length === 1 ? 'error' : 'errors'}</strong>${lines > 0 ? ` on ${lines} ${lines === 1 ? 'line' : 'lines'}` : ''}
            in ${settings.fileName}: nothing was created. Correct the file and check it again.`,
        )}
        ${table(
          'Every error of the file by line (the header is line 1; line 0: the file or the batch settings)',
          ['Line', 'Column', 'Code', 'Problem'],
          errors.map(
            (e) =>
              html`<tr>
                <td>${e.line === 0 ? '—' : e.line}</td>
                <td>${e.column ?? ''}</td>
                <td><code>${e.code}</code></td>
                <td>${e.message}</td>
              </tr>`,
          ),
        )}`;
      }
      if (read.rows.length === 0) return message('error', `${settings.fileName} has no payment rows.`);
      // One checked file per user waits for its submit (a new check replaces it): memory stays
      // bounded by the number of users, whatever they upload.
      for (const [other, u] of uploads) if (u.userId === ctx.user.id && u.state === 'checked') uploads.delete(other);
      const id = randomBytes(16).toString('base64url');
      const chunks = Math.ceil(read.rows.length / CHUNK_SIZE);
      uploads.set(id, {
        id,
        userId: ctx.user.id,
        client,
        settings,
        rows: read.rows,
        expiresAt: clock() + UPLOAD_TTL_MS,
        state: 'checked',
        created: [],
        chunks,
      });
      const total = read.rows.reduce((n, r) => n + r.item.amount, 0);
      return html`${message(
          'notice',
          html`${settings.fileName}: <strong>${read.rows.length} payments</strong>, ${money(total, settings.currency)}, no error.
            ${chunks > 1 ? `They will be ${chunks} batches of at most ${CHUNK_SIZE} payments.` : 'They will be one batch.'}`,
        )}
        <form id="submit-form" method="post" action="/console/batches/new/${id}/submit" data-upload="${id}">
          <button type="submit">Create ${chunks === 1 ? 'the batch' : `the ${chunks} batches`}</button>
        </form>`;
    },

    /** Starts creating the batches of a checked upload (once); the progress fragment. */
    submit(ctx: PageContext, id: string): Html | undefined {
      const u = find(ctx, id);
      if (!u) return undefined;
      if (u.state === 'checked') {
        u.state = 'creating';
        void this.create(ctx, u);
      }
      return progressOf(u);
    },

    /** The progress fragment of an upload being created. */
    progress(ctx: PageContext, id: string): Html | undefined {
      const u = find(ctx, id);
      return u && progressOf(u);
    },

    /** Creates the chunks one after another; stops at the first refusal (then says what was created). */
    async create(ctx: PageContext, u: Upload): Promise<void> {
      try {
        const account = (await accountsOf(ctx)).find((a) => a.account.id === u.settings.accountId)?.account;
        if (!account) throw new Error('the sender account is no longer among yours');
        for (let i = u.created.length; i < u.chunks; i++) {
          const chunk = u.rows.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
          const { input, schema } = checkBatchShape<BatchInput>(
            inputOf(
              u,
              chunk.map((r) => r.item),
              account,
            ),
            checkEnvelope,
          );
          const batch = await ctx.deps.services.batches.create(u.client, input, undefined, schema, { createdBy: { kind: 'user', id: ctx.user.id } });
          u.created.push(batch.id);
        }
        u.state = 'done';
      } catch (err) {
        u.state = 'failed';
        u.error =
          err instanceof AppError
            ? `${err.code}: ${err.errors?.[0] ? `${err.errors[0].path} ${err.errors[0].message}` : (err.detail ?? err.title)}`
            : 'an internal error';
        ctx.deps.logger.error({ err, uploadId: u.id }, 'console upload: creating a batch failed');
      } finally {
        u.expiresAt = clock() + UPLOAD_TTL_MS;
      }
    },
  };
}

function progressOf(u: Upload): Html {
  const done = u.created.length;
  const links = u.created.map((b) => html`<li><a href="/console/batches/${b}">${b}</a></li>`);
  const state =
    u.state === 'done'
      ? message('notice', `Created ${done} ${done === 1 ? 'batch' : 'batches'} with ${u.rows.length} payments.`)
      : u.state === 'failed'
        ? message('error', `Stopped after ${done} of ${u.chunks} batches: ${u.error ?? 'an error'}. The rest was not created.`)
        : html``;
  return html`<div id="progress" data-upload="${u.id}" data-state="${u.state}">
    <label for="progress-bar">Creating batches: ${done} of ${u.chunks}</label>
    <progress id="progress-bar" max="${u.chunks}" value="${done}">${done} of ${u.chunks}</progress>
    ${state}
    ${
      links.length > 0
        ? html`<ul>
            ${links}
          </ul>`
        : ''
    }
  </div>`;
}

export type Uploads = ReturnType<typeof createUploads>;
