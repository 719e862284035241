// Proxy types and their formats are per rail (FPS and PayNow both have MOBILE, in different
// numbering plans); the patterns are rail data.
import type { Rule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** receiver.proxy (when given) has a type the rail takes and a value of that type's format. */
export const checkReceiverProxy: Rule = (payment, { rail }) => {
  const proxy = payment.receiver.proxy;
  if (proxy === undefined) return [];
  const types = Object.keys(rail.proxies);
  if (types.length === 0) return []; // a proxy on such a rail is PROXY_NOT_ALLOWED, reported once
  // Object.hasOwn: a proxy type such as "toString" must not find an inherited property.
  const pattern = Object.hasOwn(rail.proxies, proxy.type) ? rail.proxies[proxy.type] : undefined;
  if (pattern === undefined) {
    return [fieldError('receiver.proxy.type', 'PROXY_TYPE_NOT_ALLOWED', `${rail.type} takes proxy types ${types.join(', ')}`)];
  }
  if (!pattern.test(proxy.value)) {
    return [fieldError('receiver.proxy.value', 'INVALID_PROXY', `is not a valid ${proxy.type} for ${rail.type}`)];
  }
  return [];
};
