// Request ids (the problem's `requestId`, the logs' `reqId`): `req_` and 16 base64url characters
// from the CSPRNG pool of src/ids.ts, one per request, never repeated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomPoolBytes } from '../../src/ids.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';

describe('request ids', () => {
  it('every answer names its own request id', async () => {
    const db = await databaseKinds()[0]!.create();
    const app = await startTestApp(db);
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const res = await app.inject({ method: 'GET', url: '/v1/accounts' });
        assert.equal(res.statusCode, 401);
        const id = res.json().requestId as string;
        assert.match(id, /^req_[A-Za-z0-9_-]{16}$/);
        ids.add(id);
      }
      assert.equal(ids.size, 50);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('the pool gives fresh bytes across refills', () => {
    const seen = new Set<string>();
    // 1,100 × 12 bytes: three refills of the 4 KiB pool, and past 12,288 bytes, where 12-byte
    // draws from a pool refilled with the same bytes would start to repeat.
    for (let i = 0; i < 1100; i++) seen.add(randomPoolBytes(12).toString('hex'));
    assert.equal(seen.size, 1100);
  });
});
