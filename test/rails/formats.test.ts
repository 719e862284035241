import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAccountNumber, normalizeAccountNumber } from '../../src/rails/formats/account-number.ts';
import { isCountryCode } from '../../src/rails/formats/countries.ts';
import { hasValidIbanChecksum, looksLikeIban } from '../../src/rails/formats/iban.ts';
import { hasForbiddenSwiftLineStart, isSwiftX } from '../../src/rails/formats/swift-x.ts';
import { charCount } from '../../src/rails/formats/text.ts';

describe('IBAN', () => {
  for (const iban of [
    'GB29NWBK60161331926819',
    'DE89370400440532013000',
    'FR1420041010050500013M02606',
    'NO9386011117947',
    'MT84MALT011000012345MTLCAST001S',
  ]) {
    it(`${iban} passes mod-97`, () => {
      assert.ok(looksLikeIban(iban));
      assert.ok(hasValidIbanChecksum(iban));
    });
  }
  it('a changed digit fails mod-97', () => assert.equal(hasValidIbanChecksum('GB29NWBK60161331926818'), false));
  it('a short account number is not IBAN-shaped', () => assert.equal(looksLikeIban('GB12345'), false));
});

describe('account numbers', () => {
  it('HK numbers drop spaces and dashes; cross-border drops spaces only; SG keeps everything', () => {
    assert.equal(normalizeAccountNumber('hk', '004-123 456789'), '004123456789');
    assert.equal(normalizeAccountNumber('cross-border', 'GB29 NWBK 6016'), 'GB29NWBK6016');
    assert.equal(normalizeAccountNumber('sg', '123-456'), '123-456');
  });
  it('HK: 6–12 digits, or 9–15 starting with the branch', () => {
    assert.equal(checkAccountNumber('hk', '123456'), 'ok');
    assert.equal(checkAccountNumber('hk', '001123456789012', '001'), 'ok');
    assert.equal(checkAccountNumber('hk', '002123456789012', '001'), 'invalid');
  });
});

describe('SWIFT x set', () => {
  it("accepts A-Z a-z 0-9 / - ? : ( ) . , ' + space", () => assert.ok(isSwiftX("AZaz09/-?:().,'+ ")));
  for (const ch of ['{', '}', '&', '@', '_', '#', 'é', '\n', '"', ';', '!', '*', '='])
    it(`refuses ${JSON.stringify(ch)}`, () => assert.equal(isSwiftX(ch), false));
  it("flags a leading ':' or '-' only", () => {
    assert.ok(hasForbiddenSwiftLineStart(':x'));
    assert.ok(hasForbiddenSwiftLineStart('-x'));
    assert.equal(hasForbiddenSwiftLineStart('x:-'), false);
  });
});

describe('text', () => {
  it('counts code points', () => assert.equal(charCount('🍩陳a'), 3));
});

describe('countries', () => {
  it('knows ISO 3166-1 alpha-2 codes and XK', () => {
    for (const c of ['HK', 'SG', 'GB', 'US', 'CN', 'XK', 'AX', 'SS']) assert.ok(isCountryCode(c), c);
    for (const c of ['UK', 'EU', 'XX', 'gb', 'GBR']) assert.equal(isCountryCode(c), false, c);
  });
});
