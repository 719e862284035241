// Many single test payments for the workers' tests at the cost of one request: one FAST payment
// through the API (PROCESSING), the rest copies of its row with ids in creation order.
import assert from 'node:assert/strict';
import { newId } from '../../src/ids.ts';
import { insertRows } from '../../src/store/insert-rows.ts';
import type { TestApp } from './app.ts';

/** `count` PROCESSING single payments of a new client's new account; their ids, oldest first. */
export async function singlePaymentPool(app: TestApp, count: number, o: { referencePrefix: string; idsFrom: number }): Promise<string[]> {
  const alice = await app.authed();
  const sg = await app.createAccount(alice.headers);
  const payload = {
    type: 'FAST',
    amount: 100,
    currency: 'SGD',
    senderAccountId: sg,
    receiver: { name: 'Tan', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
  };
  const res = await app.inject({ method: 'POST', url: '/v1/payments', headers: alice.headers, payload });
  assert.equal(res.statusCode, 202, res.body);
  const kdb = app.payrail.database.db;
  const first = await kdb.selectFrom('payments').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
  const copies = Array.from({ length: count - 1 }, (_, i) => ({
    ...first,
    id: newId('payment', o.idsFrom + 1 + i),
    customer_reference: `${o.referencePrefix}-${i}-${first.customer_reference}`,
  }));
  await insertRows(kdb, 'payments', copies);
  return [first.id, ...copies.map((c) => c.id)];
}
