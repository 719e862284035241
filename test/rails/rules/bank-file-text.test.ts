import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, XmlTextError } from '../../../src/bank-files/xml/escape.ts';
import { RAIL_TYPES, RAILS } from '../../../src/rails/rails.ts';
import { bankFileTextFields } from '../../../src/rails/rule.ts';
import { railsFor } from '../../../src/rails/rule-table.ts';
import { assertProblems, assertValid, paymentWith, problems, validPayment } from '../builders.ts';

// What a pain.001 cannot carry (XML 1.0 §2.2): the cases and their neighbours.
const UNWRITABLE: [string, string][] = [
  ['NUL', '\u0000'],
  ['SOH', '\u0001'],
  ['ESC', '\u001B'],
  ['a lone high surrogate', '\uD800'],
  ['a lone low surrogate', '\uDC00'],
  ['U+FFFE', '\uFFFE'],
  ['U+FFFF', '\uFFFF'],
];
// What XML could carry but no bank-file field may hold (the review of #18): DEL, C1, tab, CR, LF.
const NO_BUSINESS: [string, string][] = [
  ['DEL', '\u007F'],
  ['U+0080', '\u0080'],
  ['NEL U+0085', '\u0085'],
  ['U+009F', '\u009F'],
  ['a tab', '\t'],
  ['LF', '\n'],
  ['CR', '\r'],
];
const REFUSED = [...UNWRITABLE, ...NO_BUSINESS];

/** The payment with `value` planted at `path` (a dotted path of the payment). */
function planted(rail: (typeof RAIL_TYPES)[number], path: string, value: string) {
  const payment = validPayment(rail) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let at = payment;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return payment as unknown as ReturnType<typeof validPayment>;
}

describe('rule bank-file-text (every rail)', () => {
  it('runs on every rail', () => assert.deepEqual(railsFor('bank-file-text'), RAIL_TYPES));

  it('refuses everything the pain.001 writer cannot escape, and more', () => {
    for (const [, bad] of UNWRITABLE) {
      assert.throws(() => escapeXml(`a${bad}b`), XmlTextError);
      assertProblems(paymentWith('FPS', { receiver: { name: `a${bad}b` } }), ['receiver.name INVALID_CHARACTERS']);
    }
    for (const [, bad] of NO_BUSINESS) assert.equal(escapeXml(`a${bad}b`), `a${bad}b`, 'XML could carry it; the rule still refuses it');
  });

  it("the writer's error names the character, never the value (it reaches logs and failure messages)", () => {
    assert.throws(
      () => escapeXml('Bell\u0001 Wong'),
      (err: Error) => err instanceof XmlTextError && err.message.includes('U+0001') && !err.message.includes('Wong'),
    );
  });

  for (const rail of RAIL_TYPES.filter((r) => !railsFor('swift-x-text').includes(r))) {
    it(`${rail} accepts any printable Unicode, and a leading - or :`, () =>
      assertValid(paymentWith(rail, { receiver: { name: '-Café 陳大文 & Sons_#1' }, paymentDetails: ':Straße 🍩' })));
    if (RAILS[rail].receiverAddress !== 'absent') {
      it(`${rail} refuses a tab in an address line`, () =>
        assertProblems(paymentWith(rail, { receiver: { address: { line1: 'tab\there' } } }), ['receiver.address.line1 INVALID_CHARACTERS']));
    }
  }

  it("refuses the issue's FPS e-mail proxy 'a\\u0001b@example.com' at receiver.proxy.value", () =>
    assertProblems(paymentWith('FPS', { receiver: { proxy: { type: 'EMAIL', value: 'a\u0001b@example.com' } } }), ['receiver.proxy.value INVALID_CHARACTERS']));

  for (const rail of RAIL_TYPES) {
    const paths = [...new Set([...bankFileTextFields(validPayment(rail)).map((f) => f.path), 'customerReference', 'paymentDetails', 'receiver.name'])];
    it(`${rail}: each text the file carries (${paths.join(', ')}) is refused with its path`, () => {
      for (const path of paths) {
        for (const [what, bad] of REFUSED) {
          const found = problems(planted(rail, path, `A${bad}1`));
          assert.ok(found.includes(`${path} INVALID_CHARACTERS`), `${rail} ${path} with ${what}: ${found.join(', ')}`);
          assert.equal(found.filter((p) => p === `${path} INVALID_CHARACTERS`).length, 1, 'reported once even when two rules find it');
        }
      }
    });
  }

  it('covers the proxy type and value, the bank, branch, account number and country', () => {
    const fields = bankFileTextFields({
      ...validPayment('FPS'),
      customerReference: 'R',
      receiver: { name: 'N', bank: 'B', branchCode: 'C', bankAccountNumber: 'A', country: 'HK', proxy: { type: 'T', value: 'V' } },
    });
    assert.deepEqual(
      fields.map((f) => f.path).sort(),
      [
        'customerReference',
        'receiver.bank',
        'receiver.bankAccountNumber',
        'receiver.branchCode',
        'receiver.country',
        'receiver.name',
        'receiver.proxy.type',
        'receiver.proxy.value',
      ].sort(),
    );
  });
});
