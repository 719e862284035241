import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RailType } from '../../../src/rails/rails.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith } from '../builders.ts';

const CASES: Record<string, { type: string; good: string[]; bad: string[] }[]> = {
  FPS: [
    { type: 'FPS_ID', good: ['1234567', '123456789'], bad: ['12345678', '123456', '1234567890', 'A234567'] },
    { type: 'MOBILE', good: ['+85291234567', '+85251234567'], bad: ['91234567', '+8529123456', '+852912345678', '+6591234567', '+852 91234567'] },
    { type: 'EMAIL', good: ['chan@example.com', 'a.b+c@sub.example.hk'], bad: ['chan@example', 'chan example.com', '@example.com', 'chan@@example.com'] },
    { type: 'HKID', good: ['A123456(7)', 'AB987654(A)', 'A1234567', 'Z123456A'], bad: ['a123456(7)', 'ABC123456(7)', 'A12345(7)', 'A123456(B)'] },
  ],
  PAYNOW: [
    { type: 'MOBILE', good: ['+6591234567', '+6581234567'], bad: ['+6561234567', '91234567', '+659123456', '+85291234567'] },
    { type: 'NRIC', good: ['S1234567D', 'T0123456A', 'F1234567N', 'G1234567X', 'M1234567K'], bad: ['A1234567D', 'S123456D', 's1234567d', 'S12345678'] },
    {
      type: 'UEN',
      good: ['12345678A', '201234567A', 'T12AB3456X', '201234567A001', 'R12CD3456ZAB1'],
      bad: ['1234567A', '2012345678A', 'X12AB3456X', '201234567a'],
    },
    { type: 'VPA', good: ['+6592345678#ACME', 'acme@dbs'], bad: ['a b', 'ab', 'v'.repeat(65), 'café#x'] },
  ],
};

describe('rule receiver-proxy', () => {
  it('runs on FPS and PAYNOW', () => assert.deepEqual(railsFor('receiver-proxy'), ['FPS', 'PAYNOW']));
  for (const rail of railsFor('receiver-proxy')) {
    describe(rail, () => {
      for (const { type, good, bad } of CASES[rail] ?? []) {
        for (const value of good) it(`accepts ${type} '${value}'`, () => assertValid(paymentWith(rail, { receiver: { proxy: { type, value } } })));
        for (const value of bad) {
          it(`refuses ${type} '${value}' as INVALID_PROXY`, () =>
            assertProblems(paymentWith(rail, { receiver: { proxy: { type, value } } }), ['receiver.proxy.value INVALID_PROXY']));
        }
      }
      const foreign = rail === 'FPS' ? ['NRIC', 'UEN', 'VPA'] : ['FPS_ID', 'EMAIL', 'HKID'];
      for (const type of [...foreign, 'mobile', 'toString', '']) {
        it(`refuses type '${type}' as PROXY_TYPE_NOT_ALLOWED`, () =>
          assertProblems(paymentWith(rail as RailType, { receiver: { proxy: { type, value: 'X1234567' } } }), ['receiver.proxy.type PROXY_TYPE_NOT_ALLOWED']));
      }
    });
  }
});
