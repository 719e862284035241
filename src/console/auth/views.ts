// The pages of signing in: the sign-in form and the set-up page of a one-time link.
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';

function errorBox(message: string | undefined): Html | '' {
  return message ? html`<div class="alert error" role="alert" id="form-error">${message}</div>` : '';
}

export function signInPage(o: { csrfToken: string; next: string; email?: string; error?: string; notice?: string }): string {
  return layout({
    title: 'Sign in',
    user: null,
    csrfToken: o.csrfToken,
    body: html`<section class="narrow">
      <h1>Sign in</h1>
      ${o.notice ? html`<div class="alert info" role="status">${o.notice}</div>` : ''} ${errorBox(o.error)}
      <form method="post" action="/console/sign-in" class="stack">
        <input type="hidden" name="_csrf" value="${o.csrfToken}" />
        <input type="hidden" name="next" value="${o.next}" />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${o.email ?? ''}" ${o.email ? '' : 'autofocus'} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required ${o.email ? 'autofocus' : ''} />
        <label for="code">Authenticator code <span class="hint">(approvers and admins)</span></label>
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" />
        <button type="submit">Sign in</button>
      </form>
    </section>`,
  }).toString();
}

export function setupPage(o: { csrfToken: string; token: string; email: string; totp?: { secret: string; uri: string }; error?: string }): string {
  return layout({
    title: 'Set up your account',
    user: null,
    csrfToken: o.csrfToken,
    body: html`<section class="narrow">
      <h1>Set up your account</h1>
      <p>Signing in as <strong>${o.email}</strong>. This link works once and for 24 hours.</p>
      ${errorBox(o.error)}
      <form method="post" action="/console/setup/${o.token}" class="stack">
        <input type="hidden" name="_csrf" value="${o.csrfToken}" />
        <input type="hidden" name="username" value="${o.email}" autocomplete="username" />
        <label for="password">New password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength="${MIN_PASSWORD_LENGTH}"
          aria-describedby="password-hint"
        />
        <p class="hint" id="password-hint">
          At least ${MIN_PASSWORD_LENGTH} characters, and not a common password. A passphrase of a few words is easy to remember.
        </p>
        <label for="confirm">Repeat the password</label>
        <input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" />
        ${
          o.totp
            ? html`<fieldset>
                <legend>Authenticator (required for your role)</legend>
                <p>Add this account to an authenticator app (TOTP, RFC 6238): enter the key by hand, or open the link on a phone that has the app.</p>
                <p>Key: <code class="secret" id="totp-secret">${o.totp.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
                <p>Link: <code class="uri" id="totp-uri">${o.totp.uri}</code></p>
                <input type="hidden" name="totp_secret" value="${o.totp.secret}" />
                <label for="code">The 6-digit code it shows now</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required />
              </fieldset>`
            : ''
        }
        <button type="submit">Save and continue to sign in</button>
      </form>
    </section>`,
  }).toString();
}

export function setupLinkInvalidPage(csrfToken: string): string {
  return layout({
    title: 'Set-up link not valid',
    user: null,
    csrfToken,
    body: html`<section class="narrow">
      <h1>This set-up link is not valid</h1>
      <p>It was used already, has expired (links last 24 hours) or was replaced. Ask an administrator for a new one.</p>
      <p><a href="/console/sign-in">Sign in</a></p>
    </section>`,
  }).toString();
}
