// The one definition of which characters payrail accepts where (review of issue #18, point 1):
// every Unicode control character (\p{Cc}: C0, DEL, C1) is refused in ids, filters, field names
// and bank-file text; body strings keep only tab, CR and LF.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstNonXmlCharacter, isBankFileText, isBodyText, isOneLineText, isXmlText } from '../../src/text/characters.ts';

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
// Every \p{Cc} code point, listed by hand (not with the regex under test).
const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)];
const TAB_CR_LF = [0x09, 0x0a, 0x0d];
const NOT_CHARACTERS = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\uFFFF'];
const FINE = ['Café 陳大文 🍩 & <Sons> "x" \'y\'', '\u00A0no-break\u00A0space', '\u00A1\u00FF', '~', ''];

describe('which characters payrail accepts', () => {
  it('lists the 65 control characters U+0000–U+001F and U+007F–U+009F', () => assert.equal(CONTROLS.length, 65));

  for (const cp of CONTROLS) {
    const text = `a${String.fromCharCode(cp)}b`;
    const keepsIt = TAB_CR_LF.includes(cp);
    it(`${hex(cp)}: ${keepsIt ? 'a body string may hold it' : 'refused in a body string'}; refused in ids, filters and bank-file text`, () => {
      assert.equal(isBodyText(text), keepsIt);
      assert.equal(isOneLineText(text), false);
      assert.equal(isBankFileText(text), false);
    });
  }

  it('refuses lone surrogates and U+FFFE/U+FFFF everywhere', () => {
    for (const bad of NOT_CHARACTERS) {
      for (const check of [isXmlText, isBodyText, isOneLineText, isBankFileText])
        assert.equal(check(`a${bad}b`), false, `${check.name} ${JSON.stringify(bad)}`);
    }
  });

  it('accepts printable Unicode everywhere, surrogate pairs included', () => {
    for (const text of FINE) {
      for (const check of [isXmlText, isBodyText, isOneLineText, isBankFileText]) assert.ok(check(text), `${check.name} ${JSON.stringify(text)}`);
    }
  });

  it('XML text (what the writers can write at all) still carries tab, CR, LF, DEL and C1', () => {
    for (const ok of ['\t', '\n', '\r', '\u007F', '\u0085', '\u009F']) assert.ok(isXmlText(`a${ok}b`), JSON.stringify(ok));
  });

  it('names the first character XML cannot carry, not the text', () => {
    assert.equal(firstNonXmlCharacter('Bell\u0001 secret'), 'U+0001');
    assert.equal(firstNonXmlCharacter('x\uFFFF'), 'U+FFFF');
    assert.equal(firstNonXmlCharacter('half \uD83C'), 'U+D83C');
    assert.equal(firstNonXmlCharacter('Café\u0085'), undefined);
  });
});
