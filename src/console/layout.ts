// STUB (console-core owns it): the page frame — head (CSP-compatible: no inline script or style),
// navigation by role, the CSRF token for htmx requests, sign-out.
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { ConsoleUser } from './user.ts';

export interface PageOptions {
  title: string;
  user: ConsoleUser | null;
  csrfToken: string;
  /** Which navigation entry is current, e.g. 'batches'. */
  current?: string;
  body: Html;
}

export function layout(o: PageOptions): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${o.title} · payrail</title>
      </head>
      <body>
        <main>${o.body}</main>
      </body>
    </html>`;
}
