import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { escapeXml, XmlTextError } from '../../src/bank-files/xml/escape.ts';
import { parseXml, XmlSyntaxError } from '../../src/bank-files/xml/parse.ts';
import type { XmlElement } from '../../src/bank-files/xml/parse.ts';
import { findElements } from '../../src/bank-files/xml/namespaces.ts';
import { attribute, child, childrenNamed, childText } from '../../src/bank-files/xml/tree.ts';

describe('XML reader', () => {
  it('reads local names, text, attributes; drops prefixes', () => {
    const root = parseXml('\uFEFF<?xml version="1.0"?>\n<!-- c --><p:A xmlns:p="urn:x"><p:B Ccy="HKD" note=\'a > b\'>1.50</p:B><C/><C>x</C></p:A>');
    assert.equal(root.name, 'A');
    assert.equal(root.prefix, 'p');
    assert.equal(attribute(root, 'xmlns:p'), 'urn:x');
    const b = child(root, 'B')!;
    assert.equal(childText(root, 'B'), '1.50');
    assert.equal(attribute(b, 'Ccy'), 'HKD');
    assert.equal(attribute(b, 'note'), 'a > b');
    assert.equal(childrenNamed(root, 'C').length, 2);
  });

  it('decodes the predefined entities, character references and CDATA', () => {
    const root = parseXml('<A>&amp;&lt;&gt;&quot;&apos; &#233;&#x4E16;<![CDATA[<raw & kept>]]></A>');
    assert.equal(root.text, `&<>"' é世<raw & kept>`);
  });

  it('tells a reader each element as it closes, children first, with its parent', () => {
    const closed: string[] = [];
    const root = parseXml('<A><B><C>1</C><D/></B><E>2</E></A>', (element, parent) => {
      closed.push(`${element.name}<${parent?.name ?? '-'}${element.text ? `:${element.text}` : ''}`);
      if (element.name === 'B') {
        element.taken = (element.children ?? []).map((c) => c.name).join('+');
        element.children = undefined; // what a reader does with a large repeated element
      }
    });
    assert.deepEqual(closed, ['C<B:1', 'D<B', 'B<A', 'E<A:2', 'A<-']);
    const b = child(root, 'B')!;
    assert.equal(b.taken, 'C+D');
    assert.equal(b.children, undefined);
    assert.equal(childText(root, 'E'), '2');
  });

  for (const [name, xml, reason] of [
    ['an unclosed document', '<A><B>1</B>', /ends inside <A>/],
    ['a second root', '<A/><B/>', /second root/],
    ['text outside the root', '<A/>x', /outside the root/],
    ['a mismatched end tag', '<A><B></A></B>', /<\/A> where <\/B> was expected/],
    ['an undefined entity', '<A>&nbsp;</A>', /entity/],
    ['a DOCTYPE', '<!DOCTYPE A><A/>', /DOCTYPE/],
    ['an unterminated comment', '<A><!-- x</A>', /comment/],
    ['a bad name', '<1A/>', /invalid element name/],
    ['nothing at all', '   ', /no root/],
  ] as const) {
    it(`refuses ${name}`, () =>
      assert.throws(
        () => parseXml(xml),
        (err: unknown) => err instanceof XmlSyntaxError && reason.test(err.message),
      ));
  }

  it('attributes: spaces around =, either quote, a name that is a suffix of another, junk stops the scan', () => {
    const root = parseXml(`<A xCcy="no" Ccy = 'HKD' b="&amp;"/>`);
    assert.equal(attribute(root, 'Ccy'), 'HKD');
    assert.equal(attribute(root, 'b'), '&');
    assert.equal(attribute(parseXml('<A Ccy junk="x"/>'), 'junk'), undefined);
    assert.equal(attribute(parseXml('<A Ccy=HKD/>'), 'Ccy'), undefined);
  });

  it('a long junk attribute is scanned in linear time (a backtracking regex took about 6 s on this one)', () => {
    const root = parseXml(`<Amt Ccy${'x'.repeat(60_000)}>1</Amt>`);
    const started = performance.now();
    assert.equal(attribute(root, 'Ccy'), undefined);
    assert.ok(performance.now() - started < 500, `${performance.now() - started} ms`);
  });

  it('finds elements by local name inside wrappers, with the namespace their prefix has in scope', () => {
    const root = parseXml(
      '<E xmlns="urn:e" xmlns:d="urn:d"><H><Document xmlns="urn:h"/></H><d:Document><Document/></d:Document><X xmlns=""><Document/></X></E>',
    );
    assert.deepEqual(
      findElements(root, 'Document').map((f) => f.namespace),
      ['urn:h', 'urn:d', undefined],
    );
    assert.deepEqual(findElements(parseXml('<A/>'), 'Document'), []);
  });

  it('finds elements in a deeply nested document without overflowing the stack', () => {
    const depth = 200_000;
    const root = parseXml(`${'<a>'.repeat(depth)}<Document xmlns="urn:x"/>${'</a>'.repeat(depth)}`);
    assert.deepEqual(
      findElements(root, 'Document').map((f) => f.namespace),
      ['urn:x'],
    );
  });

  it('property: reads the same text values as fast-xml-parser', () => {
    const text = fc.string({ maxLength: 12, unit: fc.constantFrom('a', '0', ' ', '&', '<', '>', '"', "'", '界', '𝒜', '\n') });
    const name = fc.constantFrom('A', 'B', 'TxSts', 'ns:Amt');
    type Tree = { name: string; text: string; children: Tree[] };
    const node = (children: fc.Arbitrary<Tree[]>): fc.Arbitrary<Tree> => fc.record({ name, text, children }, { noNullPrototype: true });
    const leaf = node(fc.constant([]));
    const level = (below: fc.Arbitrary<Tree>) => node(fc.array(fc.oneof(leaf, below), { maxLength: 3 }));
    const tree = level(level(level(leaf)));
    // Leaves only carry text: mixed content is not in ISO 20022 files and the two readers trim it differently.
    const serialize = (t: Tree): string => `<${t.name}>${t.children.length ? t.children.map(serialize).join('') : escapeXml(t.text)}</${t.name}>`;
    const ours = (e: XmlElement): unknown => (e.children ? e.children.map((c) => [c.name, ours(c)]) : e.text.trim());
    const parser = new XMLParser({ parseTagValue: false, removeNSPrefix: true, preserveOrder: true, trimValues: true });
    type Ordered = Record<string, Ordered[] | string>;
    const theirs = (nodes: Ordered[]): unknown => {
      const elements = nodes.filter((n) => !('#text' in n));
      if (elements.length === 0)
        return nodes
          .map((n) => n['#text'])
          .join('')
          .trim();
      return elements.map((n) => {
        const key = Object.keys(n).find((k) => k !== ':@')!;
        return [key, theirs(n[key] as Ordered[])];
      });
    };
    fc.assert(
      fc.property(tree, (t) => {
        const xml = serialize(t);
        const root = parseXml(xml);
        assert.deepEqual([[root.name, ours(root)]], theirs(parser.parse(xml) as Ordered[]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('XML escaping', () => {
  it('escapes the five special characters and leaves the rest', () => assert.equal(escapeXml(`a&b<c>d"e'f 界`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f 界'));
  it('keeps tab, LF, CR and astral characters', () => assert.equal(escapeXml('a\tb\nc\r𝒜'), 'a\tb\nc\r𝒜'));
  for (const bad of ['\u0000', '\u0007', '\uFFFE', '\uD800x', 'x\uDC00']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => escapeXml(bad), XmlTextError));
  }
});
