// The pain.002 reader on a file's bytes (BANKS.md §4.1): UTF-8 with or without a byte order mark,
// UTF-16 in either byte order, a declared 8-bit encoding, CRLF, and what to do when the
// declaration and the bytes disagree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Pain002Error, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import { encodedFile } from './builders.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pain002/${name}`, import.meta.url), 'utf8');
/** A real-shaped report with non-ASCII reason text, its declaration naming `encoding`, with CRLF line ends. */
const report = (encoding: string) => fixture('ch-pain.002.001.03.ch.02.xml').replace('encoding="UTF-8"', `encoding="${encoding}"`).replaceAll('\n', '\r\n');
const expected = readPain002(fixture('ch-pain.002.001.03.ch.02.xml'));
const refuses = (input: Uint8Array | string, reason: RegExp) =>
  assert.throws(
    () => readPain002(input),
    (err: unknown) => err instanceof Pain002Error && reason.test(err.message),
  );

describe('pain.002 reader: bytes in the encodings banks use', () => {
  it('UTF-8 bytes with and without a byte order mark, CRLF line ends: the same report as the text', () => {
    for (const bom of [true, false]) {
      const read = readPain002(encodedFile(report('UTF-8'), 'utf-8', bom));
      assert.deepEqual(read, expected, `bom: ${bom}`);
    }
  });

  it('UTF-16LE and UTF-16BE with a byte order mark, declared "UTF-16": the same report, no warning', () => {
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const bytes = encodedFile(report('UTF-16'), encoding);
      assert.equal(bytes[0], encoding === 'utf-16le' ? 0xff : 0xfe);
      assert.deepEqual(readPain002(bytes), expected, encoding);
    }
  });

  it('text (already decoded) whose declaration says "UTF-16", with CRLF: read as it is, no warning', () => {
    assert.deepEqual(readPain002(report('UTF-16')), expected);
  });

  it('a Uint8Array (not a Buffer) is read the same', () => {
    const bytes = encodedFile(report('UTF-16'), 'utf-16le');
    assert.deepEqual(readPain002(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)), expected);
  });

  it('UTF-16 without a byte order mark is recognised by its first characters, with a warning', () => {
    const read = readPain002(encodedFile(report('UTF-16'), 'utf-16be', false));
    assert.deepEqual(read.originals, expected.originals);
    assert.deepEqual(read.warnings, ['the file is UTF-16BE without a byte order mark; read as UTF-16BE']);
  });

  it('a declaration that contradicts the byte order mark: the mark is trusted, the contradiction warned about', () => {
    const utf8 = readPain002(encodedFile(report('UTF-16'), 'utf-8'));
    assert.deepEqual(utf8.originals, expected.originals);
    assert.deepEqual(utf8.warnings, ["the declaration says encoding 'UTF-16' but the file starts with a UTF-8 byte order mark; read as UTF-8"]);
    const utf16 = readPain002(encodedFile(report('ISO-8859-1'), 'utf-16le'));
    assert.deepEqual(utf16.originals, expected.originals);
    assert.deepEqual(utf16.warnings, ["the declaration says encoding 'ISO-8859-1' but the file starts with a UTF-16LE byte order mark; read as UTF-16LE"]);
  });

  it('"UTF-16" declared on 8-bit bytes without a mark: read as UTF-8, with a warning', () => {
    const read = readPain002(encodedFile(report('UTF-16'), 'utf-8', false));
    assert.deepEqual(read.originals, expected.originals);
    assert.deepEqual(read.warnings, ["the declaration says encoding 'UTF-16' but the file is not UTF-16 (no byte order mark, 8-bit text); read as UTF-8"]);
  });

  it('an 8-bit encoding named in a single-quoted declaration is decoded as named', () => {
    const xml = report('UTF-8').replace('<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='ISO-8859-1'?>");
    assert.match(xml, /^<\?xml version='1.0' encoding='ISO-8859-1'\?>/);
    assert.deepEqual(readPain002(encodedFile(xml, 'latin1')).originals, expected.originals);
  });

  it('bytes that are not valid UTF-8 are read as U+FFFD, with a warning (the ids survive)', () => {
    const read = readPain002(encodedFile(report('UTF-8').replace('ungültig', 'ung\u00fcltig'), 'latin1'));
    assert.deepEqual(read.originals[0]!.transactions[1]!.reasonTexts, ['Inhalt formell falsch: IBAN ung\uFFFDltig']);
    assert.equal(read.originals[0]!.transactions[1]!.originalInstructionId, expected.originals[0]!.transactions[1]!.originalInstructionId);
    assert.deepEqual(read.warnings, ['the file has bytes that are not valid UTF-8; each was read as U+FFFD']);
  });

  it('UTF-32, an encoding payrail cannot decode, and an empty byte array are refused', () => {
    refuses(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('<', 'utf16le'), Buffer.from([0, 0])]), /UTF-32LE, which payrail cannot read/);
    refuses(encodedFile(report('EBCDIC-CP-US'), 'utf-8', false), /encoding 'EBCDIC-CP-US', which payrail cannot read/);
    refuses(new Uint8Array(), /empty/);
  });

  it('a UTF-16 file that was decoded as UTF-8 before reaching the reader is refused with the likely cause', () => {
    refuses(encodedFile(report('UTF-16'), 'utf-16le').toString('utf8'), /UTF-16 file decoded as UTF-8/);
  });
});
