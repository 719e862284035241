// Which Document namespaces payrail reads as a pain.002 status report (BANKS.md §4.1): one table
// of patterns, so a new national flavour is a row here, not a code path. Every flavour is read
// by the same code: the national schemas restrict or extend the ISO one without renaming what
// payrail reads.

/** A namespace payrail reads, and the pain.002.001 version its structure follows. */
interface AcceptedNamespace {
  flavour: string;
  /** Its first capture group is the version (pain.002.001.NN), unless `version` is given. */
  pattern: RegExp;
  version?: string;
}

const ACCEPTED: readonly AcceptedNamespace[] = [
  { flavour: 'ISO 20022', pattern: /^urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.(\d{2})$/ },
  // Swiss Payment Standards (SIX): pain.002.001.03.ch.02 and later .ch releases of other versions.
  { flavour: 'Swiss (SIX)', pattern: /^http:\/\/www\.six-interbank-clearing\.com\/de\/pain\.002\.001\.(\d{2})\.ch\.\d{2}\.xsd$/ },
  // Deutsche Kreditwirtschaft: pain.002.002.03 (DFÜ-Abkommen annex 3) and pain.002.003.03 (DK 2.7), both V03.
  { flavour: 'German DK', pattern: /^urn:iso:std:iso:20022:tech:xsd:pain\.002\.00[23]\.03$/, version: '03' },
];

/** The versions whose structure payrail reads: .03 (2009) to .14 (2023). Older ones have another shape. */
const FIRST_VERSION = 3;
const LAST_VERSION = 14;

const ISO_MESSAGE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/;

/** What a Document's namespace makes of the file: a pain.002 of a version payrail reads, or why not. */
export type NamespaceVerdict = { ok: true; version: string; flavour: string } | { ok: false; reason: string };

export function judgeNamespace(namespace: string): NamespaceVerdict {
  const uri = namespace.trim();
  for (const { flavour, pattern, version } of ACCEPTED) {
    const m = pattern.exec(uri);
    if (!m) continue;
    const read = version ?? m[1]!;
    const n = Number(read);
    if (n >= FIRST_VERSION && n <= LAST_VERSION) return { ok: true, version: read, flavour };
    return { ok: false, reason: `unsupported status report version pain.002.001.${read} (namespace '${uri}'; payrail reads pain.002.001.03 to .14)` };
  }
  const message = ISO_MESSAGE.exec(uri)?.[1];
  if (!message) return { ok: false, reason: `unknown namespace '${uri}'` };
  if (message.startsWith('pain.001.'))
    return { ok: false, reason: `this is a ${message} payment initiation (what payrail sends), not a pain.002 status report` };
  if (message.startsWith('pain.002.')) return { ok: false, reason: `unsupported status report version ${message} (payrail reads pain.002.001.03 to .14)` };
  return { ok: false, reason: `this is a ${message} message, not a pain.002 status report` };
}
