// The account's own fields are the debtor of every pain.001 paid from it (the HTTP layer refuses
// control characters first; this is the model's own guarantee, for any other caller).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAccount } from '../../src/accounts/model.ts';

const valid = { name: 'Operating SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };

describe('validateAccount', () => {
  it('accepts a valid account, non-Latin names included', () => assert.deepEqual(validateAccount({ ...valid, name: '營運 帳戶 🍩' }), []));
  it('refuses an account number that is not digits as INVALID_ACCOUNT_NUMBER', () => {
    for (const bad of ['abc', '12a4', '', '1'.repeat(35)]) {
      assert.deepEqual(
        validateAccount({ ...valid, accountNumber: bad }).map((e) => [e.path, e.code]),
        [['accountNumber', 'INVALID_ACCOUNT_NUMBER']],
        bad,
      );
    }
    assert.deepEqual(validateAccount({ ...valid, accountNumber: '1' }), []);
  });
  for (const field of ['name', 'bank', 'accountNumber'] as const) {
    // The debtor of every pain.001 of the account: no control character at all (C0 with tab, CR
    // and LF; DEL; C1), no lone surrogate, no U+FFFE/U+FFFF.
    for (const bad of ['\u0000', '\u0001', '\t', '\n', '\r', '\u007F', '\u0080', '\u0085', '\u009F', '\uD800', '\uFFFE', '\uFFFF']) {
      it(`refuses ${JSON.stringify(bad)} in ${field} as INVALID_CHARACTERS`, () => {
        const errors = validateAccount({ ...valid, [field]: `${valid[field]}${bad}` });
        assert.ok(
          errors.some((e) => e.path === field && e.code === 'INVALID_CHARACTERS'),
          JSON.stringify(errors),
        );
      });
    }
  }
});
