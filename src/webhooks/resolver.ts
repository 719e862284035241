// Name resolution for webhooks, with the SSRF guard in it. The HTTP agents connect through
// `guardedLookup`, so the addresses checked are exactly the ones the socket connects to: a name
// re-pointed at an internal address after registration (DNS rebinding) is refused at send time.
import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refusedAddress } from './address-policy.ts';
import type { AddressCategory, AddressPolicy } from './address-policy.ts';

/** Every address a host name resolves to (injectable: tests simulate rebinding with it). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** A connection refused by the SSRF guard; the message names the address and why. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
  constructor(
    readonly address: string,
    readonly category: AddressCategory,
  ) {
    super(`refused to connect to ${address}, a ${category} address`);
    this.name = 'ForbiddenAddressError';
  }
}

/** The first resolved address the policy refuses, as an error (any one refused refuses the name). */
export function forbiddenAmong(addresses: readonly LookupAddress[], policy: AddressPolicy): ForbiddenAddressError | undefined {
  for (const { address } of addresses) {
    const category = refusedAddress(address, policy);
    if (category) return new ForbiddenAddressError(address, category);
  }
  return undefined;
}

/** A `lookup` for net/http/https that resolves with `resolve` and refuses forbidden addresses. */
export function guardedLookup(resolve: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const addresses = family === 0 ? all : all.filter((a) => a.family === family);
        // Every answer is checked, not only the one used: a mixed public/private answer is a rebinding trick.
        const refused = forbiddenAmong(all, policy);
        if (refused) return callback(refused, '', 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return callback(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
