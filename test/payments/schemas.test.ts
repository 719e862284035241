import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { PaymentInputSchema } from '../../src/payments/schemas.ts';
import { RAIL_TYPES } from '../../src/rails/rails.ts';
import { validPayment } from '../rails/builders.ts';

describe('PaymentInputSchema', () => {
  for (const rail of RAIL_TYPES) it(`accepts the valid ${rail} fixture`, () => assert.ok(Value.Check(PaymentInputSchema, validPayment(rail))));

  const refused: [string, (p: Record<string, unknown> & { receiver: Record<string, unknown> }) => void][] = [
    ['an unknown field', (p) => (p.extra = 1)],
    ['an unknown receiver field', (p) => (p.receiver.iban = 'x')],
    ['an unknown address line', (p) => (p.receiver.address = { line4: 'x' })],
    ['a fractional amount', (p) => (p.amount = 1.5)],
    ['an amount as text', (p) => (p.amount = '100')],
    ['an unknown type', (p) => (p.type = 'SWIFT')],
    ['a missing receiver name', (p) => delete p.receiver.name],
    ['a missing senderAccountId', (p) => delete p.senderAccountId],
    ['a 36-character address line', (p) => (p.receiver.address = { line1: 'A'.repeat(36) })],
    ['a 141-character name', (p) => (p.receiver.name = 'N'.repeat(141))],
    ['a 36-character reference', (p) => (p.customerReference = 'R'.repeat(36))],
    ['a charge bearer outside the three', (p) => (p.bankChargeBearer = 'OUR')],
    ['a proxy without a value', (p) => (p.receiver.proxy = { type: 'MOBILE' })],
  ];
  for (const [what, change] of refused) {
    it(`refuses ${what}`, () => {
      const payment = validPayment('MEPS') as unknown as Record<string, unknown> & { receiver: Record<string, unknown> };
      change(payment);
      assert.equal(Value.Check(PaymentInputSchema, payment), false);
    });
  }
});
