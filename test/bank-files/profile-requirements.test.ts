// What each bank profile requires at creation (src/bank-files/profiles/requirements.ts): pure
// checks, paths relative to the payment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountRequirements, profileRequirements } from '../../src/bank-files/profiles/requirements.ts';
import type { ProfileName } from '../../src/bank-files/profiles/index.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import { paymentWith, validPayment } from '../rails/builders.ts';

const problems = (profile: ProfileName, payment: PaymentInput) => profileRequirements(profile, payment.type, payment).map((e) => `${e.path} ${e.code}`);
const LONG_EMAIL = `${'a'.repeat(30)}@example.com.hk`;

describe('bank profile requirements', () => {
  it('generic requires nothing beyond the rail rules', () => {
    assert.deepEqual(problems('generic', paymentWith('CBFT', { customerReference: 'A_B' })), []);
    assert.deepEqual(problems('generic', paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: LONG_EMAIL } } })), []);
    assert.deepEqual(accountRequirements('generic', {}), []);
  });

  it('cross-border town and country where the bank needs them (CBPR+ structured or hybrid address)', () => {
    const cbft = validPayment('CBFT');
    assert.deepEqual(problems('hsbc-hk', cbft), ['receiver.address.city REQUIRED_BY_BANK']);
    assert.deepEqual(problems('jpm-apac', cbft), ['receiver.address.city REQUIRED_BY_BANK']);
    assert.deepEqual(problems('hsbc-hk', paymentWith('CBFT', { receiver: { address: { line1: 'x', line2: 'y', city: 'Frankfurt' } } })), []);
    assert.deepEqual(problems('dbs-sg', paymentWith('TT', { receiver: { address: { city: 'London' } } })), []);
  });

  it('the proxy must fit Othr/Id (34) where the bank carries it as the account id (jpm-apac V03, dbs-sg)', () => {
    const fps = paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: LONG_EMAIL } } });
    assert.deepEqual(problems('jpm-apac', fps), ['receiver.proxy.value REFUSED_BY_BANK']);
    assert.deepEqual(problems('hsbc-hk', fps), [], 'HSBC keeps the NOTPROVIDED filler and Prxy/Id (2048)');
  });

  it('`_` in the customer reference where the bank refuses it in EndToEndId', () => {
    assert.deepEqual(problems('jpm-apac', paymentWith('FAST', { customerReference: 'PAY_1' })), []);
    assert.deepEqual(problems('dbs-sg', paymentWith('FAST', { customerReference: 'PAY_1' })), ['customerReference REFUSED_BY_BANK']);
    assert.deepEqual(problems('hsbc-hk', paymentWith('ACH', { customerReference: 'PAY_1' })), ['customerReference REFUSED_BY_BANK']);
  });

  it('a BIC the 2009 schema refuses, where the bank takes pain.001.001.03 (jpm-apac)', () => {
    const odd = paymentWith('RTGS', { receiver: { bank: 'HSBCHK1HXXX' } });
    assert.deepEqual(problems('jpm-apac', odd), ['receiver.bank REFUSED_BY_BANK']);
    assert.deepEqual(problems('hsbc-hk', odd), []);
  });

  it('a rail the bank takes no files for, and the debtor fields the bank needs', () => {
    assert.deepEqual(problems('hsbc-hk', validPayment('FAST')), ['type REFUSED_BY_BANK']);
    assert.deepEqual(
      accountRequirements('dbs-sg', { legalName: 'Acme Pte. Ltd.' }).map((e) => `${e.path} ${e.code}`),
      ['senderAccountId REQUIRED_BY_BANK'],
    );
    assert.deepEqual(accountRequirements('dbs-sg', { legalName: 'Acme Pte. Ltd.', country: 'SG' }), []);
  });
});
