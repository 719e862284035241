// A resolver with fixed answers, standing in for DNS; unknown names fail like a missing record.
import type { LookupAddress } from 'node:dns';
import type { Resolver } from '../../src/webhooks/resolver.ts';

export function fakeResolver(answers: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}
