// `payrail clients set-limits CLIENT_ID …`: a client's own quotas, stored in `clients.rate_limits`
// over the seed's defaults. One flag per policy and window, e.g.
//
//   payrail clients set-limits cli_01J… --payments-per-minute 60 --payments-per-second 5
//   payrail clients set-limits cli_01J… --payment-enquiry-per-minute default   (that one back to the default)
//   payrail clients set-limits cli_01J… --reset                               (all back to the defaults)
//   payrail clients set-limits cli_01J… --unlimited | --no-unlimited
//
// Without flags it prints the client's limits. Changes apply to the next request (a running
// server reads the client on every call).
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { operatorActor } from '../audit/log.ts';
import { withServices } from '../cli/context.ts';
import { CliError, printJson } from '../cli/output.ts';
import type { Client } from '../clients/service.ts';
import type { Services } from '../services.ts';
import { MAX_QUOTA, effectiveLimits, isQuota, parseOverrides } from './policies.ts';
import { POLICY_NAMES, WINDOW_NAMES } from './model.ts';
import type { ClientPolicyName, RateLimitOverrides, WindowName } from './model.ts';

/** A quota flag's value: a whole number of requests, or `default` to drop the override. */
function quotaValue(raw: string): number | 'default' {
  if (raw === 'default') return raw;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!isQuota(n)) throw new InvalidArgumentError(`must be a whole number of requests from 1 to ${MAX_QUOTA}, or 'default'`);
  return n;
}

const flagOf = (p: ClientPolicyName, w: WindowName) => `--${p}-per-${w} <n>`;
const optionKey = (p: ClientPolicyName, w: WindowName) => `${p}-per-${w}`.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type SetLimitsOptions = Record<string, number | 'default' | boolean | undefined> & { reset?: boolean; unlimited?: boolean };

/** The overrides after applying the flags to what the client has. */
export function applyLimitFlags(current: RateLimitOverrides, opts: SetLimitsOptions): RateLimitOverrides {
  const next: RateLimitOverrides = opts.reset ? {} : structuredClone(current);
  for (const p of POLICY_NAMES) {
    for (const w of WINDOW_NAMES) {
      const value = opts[optionKey(p, w)];
      if (value === 'default') delete next[p]?.[w];
      else if (typeof value === 'number') (next[p] ??= {})[w] = value;
      if (next[p] && Object.keys(next[p]).length === 0) delete next[p];
    }
  }
  return next;
}

function limitsJson(client: Client) {
  const overrides = parseOverrides(client.rateLimits);
  return { client_id: client.id, unlimited: client.unlimited, rate_limits: client.rateLimits, effective: client.unlimited ? null : effectiveLimits(overrides) };
}

async function updateLimits(services: Services, clientId: string, opts: SetLimitsOptions): Promise<Client> {
  const existing = await services.clients.get(clientId);
  if (!existing) throw new CliError(`no client with id '${clientId}'`);
  const quotaGiven = POLICY_NAMES.some((p) => WINDOW_NAMES.some((w) => opts[optionKey(p, w)] !== undefined));
  if (!opts.reset && !quotaGiven && opts.unlimited === undefined) return existing;
  // The flags applied to the limits as they are in the change's transaction; the audit entry in
  // that transaction too: a change is never left unrecorded.
  return services.clients.setRateLimits(
    clientId,
    (current) => {
      const next = applyLimitFlags(parseOverrides(current.rateLimits), opts);
      return { rateLimits: Object.keys(next).length > 0 ? next : null, unlimited: opts.unlimited };
    },
    async (tx, { before, after }) => {
      if (before.unlimited === after.unlimited && JSON.stringify(before.rateLimits) === JSON.stringify(after.rateLimits)) return;
      await services.audit.record(tx, {
        actor: operatorActor(),
        action: 'client.set_limits',
        object: { type: 'client', id: clientId },
        details: { unlimited: after.unlimited, rateLimits: after.rateLimits },
      });
    },
  );
}

/** Adds `set-limits` to the `clients` command. */
export function registerSetLimitsCommand(clients: Command): void {
  const command = clients
    .command('set-limits')
    .description("set a client's rate limits (requests per window, over the defaults); no flags: show them")
    .argument('<client_id>')
    .option('--reset', 'drop every override first: back to the default limits')
    .option('--unlimited', 'lift every rate limit for this client (internal jobs, benchmarks)')
    .option('--no-unlimited', 'apply rate limits to this client again');
  for (const p of POLICY_NAMES) {
    for (const w of WINDOW_NAMES) command.option(flagOf(p, w), `${p} requests per ${w} (or 'default')`, quotaValue);
  }
  command.action(async (clientId: string, opts: SetLimitsOptions) => {
    const client = await withServices(({ services }) => updateLimits(services, clientId, opts));
    printJson(limitsJson(client));
  });
}
