// Two payrail instances over one database and one Redis (TEST_REDIS_URL) share each client's
// budget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { deleteKeys, redisUrl, sharedRedisSkip, uniquePrefix } from './redis-helpers.ts';

const sqlite = databaseKinds().find((k) => k.name === 'sqlite')!;

describe('two instances sharing Redis (TEST_REDIS_URL)', { skip: sharedRedisSkip() }, () => {
  const prefix = uniquePrefix();
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  before(async () => {
    db = await sqlite.create();
    const env = { REDIS_URL: redisUrl!, PAYRAIL_RATE_LIMIT_KEY_PREFIX: prefix };
    a = await startTestApp(db, { env });
    b = await startTestApp(db, { env });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    if (redisUrl) await deleteKeys(redisUrl, prefix);
  });

  const get = (app: TestApp, headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/payments', headers });

  it('/readyz reports Redis, /metrics shows no fallback', async () => {
    const ready = await a.inject({ method: 'GET', url: '/readyz' });
    assert.deepEqual(ready.json().checks, { database: true, redis: true });
    assert.match((await a.inject({ method: 'GET', url: '/metrics' })).body, /^payrail_rate_limit_fallback 0$/m);
  });

  it('one budget across both instances', async () => {
    const { clientId, headers } = await a.authed({ unlimited: false });
    // 3 an hour (and a roomy 10 a second), so the test cannot straddle a window that matters.
    await a.payrail.services.clients.setRateLimits(clientId, { rateLimits: { 'payment-enquiry': { hour: 3, second: 10 } } });
    assert.equal((await get(a, headers)).statusCode, 200);
    const second = await get(b, headers);
    assert.equal(second.statusCode, 200);
    assert.match(String(second.headers['ratelimit']), /^"payment-enquiry-hour";r=1;/);
    assert.equal((await get(a, headers)).statusCode, 200);
    const refused = await get(b, headers);
    assert.equal(refused.statusCode, 429);
    assert.match(refused.json().detail, /'payment-enquiry-hour' \(3 per hour\)/);
  });

  it('a 2-per-second client gets exactly 2 of 3 simultaneous requests, spread over both instances', async () => {
    const { headers } = await a.authed({ unlimited: false });
    const answers = await Promise.all([get(a, headers), get(b, headers), get(a, headers)]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 429]);
  });
});
