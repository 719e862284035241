// Fuzzing the pain.002 reader with real-shaped files, damaged the ways files get damaged: elements
// dropped, repeated or swapped, values replaced by junk (control characters, huge numbers),
// garbage inserted, the file cut short, re-encoded. Whatever comes in, the reader returns a
// report or throws Pain002Error — never another exception — and never takes long.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Pain002Error, readPain002 } from '../../src/bank-files/pain002/reader.ts';
import type { Pain002Report } from '../../src/bank-files/pain002/reader.ts';
import { encodedFile } from './builders.ts';

const FIXTURES = new URL('../fixtures/pain002/', import.meta.url);
const SAMPLES = readdirSync(FIXTURES)
  .filter((n) => n.endsWith('.xml') && !['garbage.xml', 'no-namespace.xml', 'wrong-namespace.xml'].includes(n))
  .map((n) => readFileSync(new URL(n, FIXTURES), 'utf8'));

/** Complete elements a mutation works on: a leaf with its text, or a whole block (they do not nest). */
const LEAF = /<([\w.-]+:)?([\w.-]+)(\s[^>]*)?>[^<]*<\/\1?\2>/g;
const BLOCK = /<([\w.-]+:)?(TxInfAndSts|OrgnlPmtInfAndSts|OrgnlGrpInfAndSts|StsRsnInf|ChrgsInf|OrgnlTxRef|GrpHdr)\b[^>]*>[\s\S]*?<\/\1?\2>/g;

interface Span {
  start: number;
  end: number;
}

function spans(xml: string, pattern: RegExp): Span[] {
  return [...xml.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** The n-th (modulo) span of a kind, if the file has any. */
function pick(xml: string, pattern: RegExp, n: number): Span | undefined {
  const all = spans(xml, pattern);
  return all.length === 0 ? undefined : all[n % all.length];
}

const JUNK = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\t', '\r', '\n', '\uFFFE', '\uD800', '&', '<', ']]>', 'é'), maxLength: 12 }),
  fc.constantFrom(
    '9'.repeat(400),
    '1e308',
    '-0',
    '0.000000000000000000001',
    '99999999999999999999.99',
    '9007199254740993',
    'NaN',
    '',
    ' ',
    '2026-02-30',
    '9999-99-99T99:99',
  ),
  fc.bigInt().map(String),
  fc.double().map(String),
);

type Mutation = (xml: string) => string;
const at = (xml: string, n: number) => n % (xml.length + 1);

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.boolean(), fc.nat()).map(([block, n]): Mutation => (xml) => {
    const s = pick(xml, block ? BLOCK : LEAF, n);
    return s ? xml.slice(0, s.start) + xml.slice(s.end) : xml;
  }),
  fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 3 })).map(([block, n, times]): Mutation => (xml) => {
    const s = pick(xml, block ? BLOCK : LEAF, n);
    return s ? xml.slice(0, s.end) + xml.slice(s.start, s.end).repeat(times) + xml.slice(s.end) : xml;
  }),
  fc.tuple(fc.boolean(), fc.nat(), fc.nat()).map(([block, a, b]): Mutation => (xml) => {
    const all = spans(xml, block ? BLOCK : LEAF);
    const [x, y] = [all[a % Math.max(all.length, 1)], all[b % Math.max(all.length, 1)]].sort((p, q) => (p?.start ?? 0) - (q?.start ?? 0));
    if (!x || !y || x.end > y.start) return xml;
    return xml.slice(0, x.start) + xml.slice(y.start, y.end) + xml.slice(x.end, y.start) + xml.slice(x.start, x.end) + xml.slice(y.end);
  }),
  fc.tuple(fc.nat(), JUNK).map(([n, junk]): Mutation => (xml) => {
    const s = pick(xml, LEAF, n);
    if (!s) return xml;
    const leaf = xml.slice(s.start, s.end);
    const textStart = s.start + leaf.indexOf('>') + 1;
    return xml.slice(0, textStart) + junk + xml.slice(s.end - (leaf.length - leaf.lastIndexOf('<')));
  }),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        JUNK,
        fc.constantFrom(
          '<',
          '</TxInfAndSts>',
          '<TxInfAndSts>',
          '<!--',
          '<![CDATA[',
          '&#0;',
          '&#x110000;',
          '<?xml version="1.0"?>',
          '<!DOCTYPE x>',
          '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">',
        ),
      ),
    )
    .map(
      ([n, junk]): Mutation =>
        (xml) =>
          xml.slice(0, at(xml, n)) + junk + xml.slice(at(xml, n)),
    ),
  fc.nat().map(
    (n): Mutation =>
      (xml) =>
        xml.slice(0, at(xml, n)),
  ),
  fc.constantFrom<Mutation>(
    (xml) => xml.replaceAll('\n', '\r\n'),
    (xml) => xml.replace(/pain\.002\.001\.\d\d/, 'pain.002.001.12'),
    (xml) => `<BizMsgEnvlp><AppHdr/>${xml.replace(/^<\?xml[^>]*>/, '')}</BizMsgEnvlp>`,
  ),
);

/** How the mutated text reaches the reader: as text, or as bytes in one of the encodings banks use (some cut short). */
const DELIVERY = fc.oneof(
  fc.constant((xml: string): string | Uint8Array => xml),
  fc
    .tuple(fc.constantFrom('utf-8', 'utf-16le', 'utf-16be', 'latin1' as const), fc.boolean(), fc.option(fc.nat()))
    .map(([encoding, bom, cut]) => (xml: string): string | Uint8Array => {
      const bytes = encodedFile(encoding === 'latin1' ? xml.replace(/[^\x20-\xff\t\r\n]/g, '?') : xml, encoding, bom);
      return cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
    }),
  fc.uint8Array({ maxLength: 64 }).map(
    (prefix) =>
      (xml: string): string | Uint8Array =>
        Buffer.concat([prefix, Buffer.from(xml)]),
  ),
);

/** What every report the reader returns must hold, however odd the file. */
function checkReport(report: Pain002Report): void {
  assert.ok(Array.isArray(report.warnings) && report.warnings.every((w) => typeof w === 'string'));
  assert.match(report.version, /^\d\d$/);
  for (const original of report.originals) {
    for (const list of [original.groupReasons, original.groupReasonTexts]) assert.ok(list.every((x) => typeof x === 'string' && x !== ''));
    for (const tx of original.transactions) {
      assert.ok(tx.reasons.every((x) => typeof x === 'string' && x !== ''));
      assert.ok(tx.reasonTexts.every((x) => typeof x === 'string' && x !== ''));
      for (const charge of tx.charges) assert.ok(Number.isSafeInteger(charge.amount) && charge.amount >= 0 && /^[A-Z]{3}$/.test(charge.currency));
      for (const date of [tx.requestedExecutionDate, tx.interbankSettlementDate]) assert.ok(date === undefined || /^\d{4}-\d\d-\d\d$/.test(date));
    }
  }
}

describe('pain.002 reader: fuzz', () => {
  it('mutated real-shaped files: a report or a Pain002Error, nothing else, each read quickly', () => {
    let reports = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(MUTATION, { minLength: 1, maxLength: 4 }), DELIVERY, (sample, mutations, deliver) => {
        const input = deliver(mutations.reduce((xml, mutate) => mutate(xml), sample));
        const started = performance.now();
        try {
          checkReport(readPain002(input));
          reports++;
        } catch (err) {
          if (!(err instanceof Pain002Error)) throw err;
          refused++;
        }
        // The files are a few kilobytes: anything near a second is a runaway, not a slow machine.
        assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
      }),
      { numRuns: 500 },
    );
    // Both outcomes must be exercised, or the mutations are too weak (or too strong) to test anything.
    assert.ok(reports > 50 && refused > 50, `${reports} reports, ${refused} refusals`);
  });
});
