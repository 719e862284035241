import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAIL_TYPES, RAILS } from '../../src/rails/rails.ts';
import { RULE_NAMES, railsFor, rulesFor } from '../../src/rails/rule-table.ts';

describe('rule table', () => {
  it('answers "which checks apply to MEPS?"', () =>
    assert.deepEqual(rulesFor('MEPS'), [
      'amount',
      'currency',
      'payment-date',
      'customer-reference',
      'payment-details',
      'charge-bearer',
      'purpose',
      'receiver-name',
      'bank-file-text',
      'swift-x-text',
      'receiver-identification',
      'receiver-bank',
      'receiver-branch-code',
      'receiver-account-number',
      'receiver-address',
      'receiver-country',
      'sender-account-market',
      'sender-account-currency',
    ]));

  it('every rail checks the text a bank file carries; SWIFT-format rails narrow it to the x set', () => {
    for (const rail of RAIL_TYPES) assert.ok(rulesFor(rail).includes('bank-file-text'), rail);
  });

  // The table says whether a check runs; the rail data gives its numbers. They must agree.
  it('amount-maximum runs exactly where the rail data has a maximum', () =>
    assert.deepEqual(
      railsFor('amount-maximum'),
      RAIL_TYPES.filter((r) => Object.keys(RAILS[r].maxAmount).length > 0),
    ));
  it('receiver-proxy runs exactly where the rail data lists proxy types', () =>
    assert.deepEqual(
      railsFor('receiver-proxy'),
      RAIL_TYPES.filter((r) => Object.keys(RAILS[r].proxies).length > 0),
    ));
  it('swift-x-text runs exactly on the rails with 35-character names', () =>
    assert.deepEqual(
      railsFor('swift-x-text'),
      RAIL_TYPES.filter((r) => RAILS[r].nameMaxLength === 35),
    ));
  it('every rule runs on some rail', () => {
    for (const rule of RULE_NAMES) assert.ok(railsFor(rule).length > 0, rule);
  });
});

describe('rail data', () => {
  it('HK rails are in Asia/Hong_Kong, SG rails in Asia/Singapore', () => {
    for (const rail of Object.values(RAILS)) assert.equal(rail.timeZone, rail.market === 'HK' ? 'Asia/Hong_Kong' : 'Asia/Singapore', rail.type);
    assert.deepEqual(
      RAIL_TYPES.filter((r) => RAILS[r].market === 'HK'),
      ['ACH', 'FPS', 'RTGS', 'CBFT'],
    );
  });
  it('cut-offs per RAILS.md; FPS, FAST and PAYNOW run 24x7', () => {
    const cutOffs = Object.fromEntries(RAIL_TYPES.map((r) => [r, RAILS[r].valueDates.kind === '24x7' ? '24x7' : RAILS[r].valueDates.cutOff]));
    assert.deepEqual(cutOffs, {
      ACH: '17:30',
      FPS: '24x7',
      RTGS: '17:30',
      CBFT: '16:00',
      MEPS: '15:00',
      FAST: '24x7',
      PAYNOW: '24x7',
      ACT: '18:00',
      TT: '15:00',
    });
  });
  it('only CBFT and TT are cross-border', () =>
    assert.deepEqual(
      RAIL_TYPES.filter((r) => RAILS[r].crossBorder),
      ['CBFT', 'TT'],
    ));
  it('proxy types: FPS FPS_ID/MOBILE/EMAIL/HKID, PAYNOW MOBILE/NRIC/UEN/VPA', () => {
    assert.deepEqual(Object.keys(RAILS.FPS.proxies), ['FPS_ID', 'MOBILE', 'EMAIL', 'HKID']);
    assert.deepEqual(Object.keys(RAILS.PAYNOW.proxies), ['MOBILE', 'NRIC', 'UEN', 'VPA']);
  });
});
