// Issue #18, point 3: nobody can lock a client out by its id. Failed authentications never spend
// the client's `authorisation` budget; they are limited per source address and per client id
// with short waits that grow (at most 5 minutes), and a caller with a clean record still gets
// its token while someone hammers its id (numbers: src/rate-limits/auth-failures.ts). Over the memory store and Redis (TEST_REDIS_URL), and
// through the token endpoint on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createAuthFailures } from '../../src/rate-limits/auth-failures.ts';
import { retryAfterSeconds } from '../../src/rate-limits/headers.ts';
import { createMemoryStore } from '../../src/rate-limits/memory-store.ts';
import type { RateLimitStore } from '../../src/rate-limits/model.ts';
import { createRedisStore } from '../../src/rate-limits/redis-store.ts';
import { startTestApp } from '../helpers/app.ts';
import type { TestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { deleteKeys, redisUrl, sharedRedisSkip, uniquePrefix } from './redis-helpers.ts';

const VICTIM = 'cli_01JVICTIM0000000000000000';
let clientSeq = 0;
/** A fresh well-formed client id (the counters of one test never meet another's). */
const clientId = () => `cli_01J${String(++clientSeq).padStart(23, '0')}`;
let addressSeq = 0;
const address = () => `203.0.113.${++addressSeq % 250}:${addressSeq}`;

const stores: { name: string; skip: string | false; open(clock: () => number): Promise<{ store: RateLimitStore; close(): Promise<void> }> }[] = [
  { name: 'memory', skip: false, open: async (clock) => ({ store: createMemoryStore({ clock }), close: async () => {} }) },
  {
    name: 'Redis',
    skip: sharedRedisSkip(),
    async open(clock) {
      const redis = new Redis(redisUrl!);
      const prefix = uniquePrefix();
      return {
        store: createRedisStore({ redis, keyPrefix: prefix, testClock: clock }),
        async close() {
          redis.disconnect();
          await deleteKeys(redisUrl!, prefix);
        },
      };
    },
  },
];

for (const kind of stores) {
  describe(`failed authentications are limited per address and per client id (${kind.name})`, { skip: kind.skip }, () => {
    let now = Date.parse('2026-01-05T10:00:00.500Z');
    let opened: Awaited<ReturnType<(typeof kind)['open']>>;
    let guard: ReturnType<typeof createAuthFailures>;

    before(async () => {
      opened = await kind.open(() => now);
      guard = createAuthFailures({ store: opened.store, algorithm: 'sliding' });
    });
    after(async () => opened?.close());

    it('five failures from an address: it waits about 10 s; another address presenting the same id is not held up', async () => {
      const [attacker, victim, id] = [address(), address(), clientId()];
      for (let i = 0; i < 5; i++) {
        assert.equal(await guard.check(attacker, id), undefined, `attempt ${i + 1}`);
        await guard.recordFailure(attacker, id);
      }
      const refused = await guard.check(attacker, id);
      assert.ok(refused && !refused.allowed);
      assert.ok(retryAfterSeconds(refused) <= 12, `waits ${retryAfterSeconds(refused)} s`);
      assert.equal(await guard.check(victim, id), undefined, 'a clean address goes on to have its secret checked');
      now += retryAfterSeconds(refused) * 1000;
      assert.equal(await guard.check(attacker, id), undefined, 'after the wait the address may try again');
    });

    it('IPv6 counts by /64 (each /128 is not a fresh budget); IPv4-mapped IPv6 counts as its IPv4 address', async () => {
      const prefix = `2001:db8:${(++addressSeq).toString(16)}:1`;
      const id = clientId();
      for (let i = 0; i < 5; i++) await guard.recordFailure(`${prefix}::${(i + 1).toString(16)}`, id);
      const sameSlash64 = await guard.check(`${prefix}:ffff:0:0:abcd`, id);
      assert.ok(sameSlash64 && !sameSlash64.allowed, 'another address of the same /64 is held back');
      assert.equal(await guard.check(`2001:db8:${addressSeq.toString(16)}:2::1`, clientId()), undefined, 'the next /64 is not');

      const v4 = `198.51.100.${++addressSeq % 250}`;
      for (let i = 0; i < 5; i++) await guard.recordFailure(`::ffff:${v4}`, clientId());
      const sameHost = await guard.check(v4, clientId());
      assert.ok(sameHost && !sameHost.allowed, 'the same host over IPv4');
      assert.equal(await guard.check(`198.51.100.${(addressSeq + 1) % 250}`, clientId()), undefined, 'IPv4 counts by the full address');
    });

    it('peeking counts nothing: an address that is only checked is never refused', async () => {
      const a = address();
      for (let i = 0; i < 50; i++) assert.equal(await guard.check(a, clientId()), undefined);
    });

    it('an attacker that waits each Retry-After out gets longer waits, never more than 5 minutes', async () => {
      const [attacker, id] = [address(), clientId()];
      const waits: number[] = [];
      for (let attempts = 0; attempts < 120;) {
        const refused = await guard.check(attacker, id);
        if (refused) {
          waits.push(retryAfterSeconds(refused));
          now += retryAfterSeconds(refused) * 1000;
          continue;
        }
        await guard.recordFailure(attacker, id);
        attempts++;
      }
      assert.ok(waits[0]! <= 12, `the first wait is seconds (${waits[0]})`);
      assert.ok(Math.max(...waits) > 60, `the waits grow past a minute (${waits.join(',')})`);
      assert.ok(Math.max(...waits) <= 305, `and stay within 5 minutes (${Math.max(...waits)})`);
    });

    it('an id hammered from many addresses: clean addresses pass, an address that failed waits (boundedly)', async () => {
      const id = clientId();
      const attackers = Array.from({ length: 100 }, address);
      for (const a of attackers) {
        assert.equal(await guard.check(a, id), undefined, 'each fresh address gets its attempt');
        await guard.recordFailure(a, id);
      }
      assert.equal(await guard.check(address(), id), undefined, 'the real client, from its own address, is not held up');
      const refused = await guard.check(attackers[0]!, id);
      assert.ok(refused, 'an address that failed is refused while the id is under attack');
      assert.match(refused.windows.map((w) => w.limit.quota).join(','), /^200,60,20$/, 'by the client id limits');
      assert.ok(retryAfterSeconds(refused) <= 305);
      now += retryAfterSeconds(refused) * 1000;
      assert.equal(await guard.check(attackers[0]!, id), undefined, 'after the wait');
    });
  });
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

for (const kind of databaseKinds()) {
  describe(`the token endpoint under a lock-out attempt (${kind.name})`, { skip: kind.skip }, () => {
    let db: TestDatabase;
    let app: TestApp;
    let now = Date.now();

    before(async () => {
      db = await kind.create();
      app = await startTestApp(db, { clock: () => now, limitAuthFailures: true });
    });
    after(async () => {
      await app?.close();
      await db?.drop();
    });

    const token = (id: string, secret: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/v1.0/auth',
        remoteAddress,
        headers: { authorization: basic(id, secret) },
        payload: { grant_type: 'client_credentials' },
      });

    it('ten wrong secrets from one address: the sixth on are answered 429; the right one works at once, from another address and from that one', async () => {
      const c = await app.createClient({ unlimited: false });
      const [attacker, victim] = ['198.51.100.7', '192.0.2.10'];
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await token(c.clientId, 'wrong', attacker));
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        [401, 401, 401, 401, 401, 429, 429, 429, 429, 429],
      );
      const refused = answers[9]!;
      assert.equal(refused.json().code, 'RATE_LIMITED');
      assert.match(refused.json().detail, /'auth-failures' policy/);
      const wait = Number(refused.headers['retry-after']);
      assert.ok(wait >= 1 && wait <= 12, `Retry-After ${wait}`);

      const ok = await token(c.clientId, c.secret, victim);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.match(String(ok.headers['ratelimit']), /^"authorisation-hour";r=9;/, "the client's 10 per hour are untouched by the failures");

      // The address is over its limits, yet a right secret from it is not held up: the failures of
      // an address others share (a NAT, a proxy, loopback) must not keep the real client out.
      const sameAddress = await token(c.clientId, c.secret, attacker);
      assert.equal(sameAddress.statusCode, 200, sameAddress.body);
      assert.match(String(sameAddress.headers['ratelimit']), /^"authorisation-hour";r=8;/);
      assert.equal((await token(c.clientId, 'wrong', attacker)).statusCode, 429, 'a wrong one still waits');
      now += wait * 1000;
      assert.equal((await token(c.clientId, 'wrong', attacker)).statusCode, 401, 'after the wait a failure is a 401 again');
    });

    it('100 wrong secrets from 100 addresses: the victim gets its token at once', async () => {
      now += 600_000;
      const c = await app.createClient({ unlimited: false });
      for (let i = 0; i < 100; i++) assert.equal((await token(c.clientId, `wrong${i}`, `198.18.0.${i}`)).statusCode, 401);
      const ok = await token(c.clientId, c.secret, '192.0.2.77');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.match(String(ok.headers['ratelimit']), /^"authorisation-hour";r=9;/);
      const attacker = await token(c.clientId, 'wrong-again', '198.18.0.1');
      assert.equal(attacker.statusCode, 429, 'an address that failed for this id lately waits');
      assert.ok(Number(attacker.headers['retry-after']) <= 305);
    });

    it('behind a proxy named in PAYRAIL_TRUST_PROXY, callers are told apart by X-Forwarded-For', async () => {
      now += 600_000;
      const proxied = await startTestApp(db, { clock: () => now, limitAuthFailures: true, env: { PAYRAIL_TRUST_PROXY: '10.0.0.0/8, loopback' } });
      try {
        const c = await proxied.createClient({ unlimited: false });
        const via = (forwardedFor: string, secret: string) =>
          proxied.inject({
            method: 'POST',
            url: '/v1.0/auth',
            remoteAddress: '10.1.2.3',
            headers: { authorization: basic(c.clientId, secret), 'x-forwarded-for': forwardedFor },
            payload: { grant_type: 'client_credentials' },
          });
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await via('198.51.100.1', 'wrong')).statusCode);
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
        assert.equal((await via('192.0.2.1', c.secret)).statusCode, 200, 'another caller behind the same proxy is not held up');
      } finally {
        await proxied.close();
      }
      // Without it, X-Forwarded-For is not believed: a spoofed header buys no fresh attempts.
      const a = '198.51.100.50';
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1.0/auth',
          remoteAddress: a,
          headers: { authorization: basic(clientId(), 'x'), 'x-forwarded-for': `203.0.113.${i}` },
          payload: { grant_type: 'client_credentials' },
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    });

    it('made-up client ids buy no fresh attempts: they are counted by address', async () => {
      now += 600_000;
      const a = '198.51.100.99';
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await token(clientId(), 'x', a)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      assert.equal((await token(VICTIM, 'x', '192.0.2.200')).statusCode, 401, 'another address is not affected');
    });
  });
}
