// The page frame of the console: head (no inline script or style, so the CSP forbids both), a skip
// link, navigation by role, the signed-in user and the sign-out form, and the session's CSRF token
// for htmx (`hx-headers` on <body>, and <meta name="csrf-token"> for scripts). The body brings its
// own <h1>.
import { assetUrl } from './assets.ts';
import type { Html } from './html.ts';
import { html } from './html.ts';
import type { ConsoleAction, ConsoleUser } from './user.ts';
import { can } from './user.ts';

export interface PageOptions {
  title: string;
  user: ConsoleUser | null;
  csrfToken: string;
  /** Which navigation entry is current, e.g. 'batches'. */
  current?: string;
  body: Html;
  /** Extra stylesheets or scripts by asset name (assets.ts), e.g. ['uPlot.min.css', 'uPlot.min.js', 'charts.js']. */
  assets?: string[];
}

/** The navigation: key (PageOptions.current), label, path, and the action a user needs to see it. */
export const NAV: readonly { key: string; label: string; href: string; needs: ConsoleAction }[] = [
  { key: 'overview', label: 'Overview', href: '/console', needs: 'read' },
  { key: 'batches', label: 'Batches', href: '/console/batches', needs: 'read' },
  { key: 'payments', label: 'Payments', href: '/console/payments', needs: 'read' },
  { key: 'approvals', label: 'Approvals', href: '/console/approvals', needs: 'read' },
  { key: 'upload', label: 'New batch', href: '/console/batches/new', needs: 'create' },
  { key: 'webhooks', label: 'Webhooks', href: '/console/webhooks', needs: 'read' },
  { key: 'banks', label: 'Bank connections', href: '/console/bank-connections', needs: 'read' },
  { key: 'users', label: 'Users', href: '/console/users', needs: 'admin' },
  { key: 'audit', label: 'Audit log', href: '/console/audit-log', needs: 'admin' },
  { key: 'approval-policy', label: 'Approval policy', href: '/console/approval-policy', needs: 'admin' },
];

// htmx's own settings (https://htmx.org/reference/#config): no <style> it would inject (the CSP
// refuses inline styles), no eval-based features, nothing from script tags in responses.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true });

function stylesheet(name: string): Html {
  return html`<link rel="stylesheet" href="${assetUrl(name)}" />`;
}

function script(name: string): Html {
  return html`<script src="${assetUrl(name)}" defer></script>`;
}

function nav(user: ConsoleUser, csrfToken: string, current: string | undefined): Html {
  const items = NAV.filter((n) => can(user, n.needs));
  return html`<nav class="site-nav" aria-label="Main">
    <ul>
      ${items.map((n) => html`<li><a href="${n.href}" ${n.key === current ? html`aria-current="page"` : ''}>${n.label}</a></li>`)}
    </ul>
    <div class="session">
      <span class="who">${user.email} <span class="role">(${user.role})</span></span>
      <form method="post" action="/console/sign-out" class="inline">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <button type="submit" class="link">Sign out</button>
      </form>
    </div>
  </nav>`;
}

export function layout(o: PageOptions): Html {
  const extra = o.assets ?? [];
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${o.csrfToken}" />
        <meta name="htmx-config" content="${HTMX_CONFIG}" />
        <title>${o.title} · payrail</title>
        ${stylesheet('console.css')} ${extra.filter((a) => a.endsWith('.css')).map(stylesheet)} ${script('htmx.min.js')}
        ${extra.filter((a) => a.endsWith('.js')).map(script)}
      </head>
      <body hx-headers="${JSON.stringify({ 'X-CSRF-Token': o.csrfToken })}">
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/console">payrail <span>console</span></a>
          ${o.user ? nav(o.user, o.csrfToken, o.current) : ''}
        </header>
        <main id="main" tabindex="-1">${o.body}</main>
      </body>
    </html>`;
}
