// XSD validation for tests, with xmllint-wasm (libxml2 compiled to WebAssembly): no native build,
// no Debian package needed. The schemas are the official ones in test/fixtures/iso20022.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML } from 'xmllint-wasm';

/** The official schema files, by message name. */
export const XSD = {
  'pain.001.001.03': schemaPath('pain.001.001.03.xsd'),
  'pain.001.001.09': schemaPath('pain.001.001.09.xsd'),
  'pain.002.001.03': schemaPath('pain.002.001.03.xsd'),
  'pain.002.001.10': schemaPath('pain.002.001.10.xsd'),
} as const;

function schemaPath(file: string): string {
  return fileURLToPath(new URL(`../fixtures/iso20022/${file}`, import.meta.url));
}

const schemas = new Map<string, Promise<string>>();

/** The schema errors of a document (empty when it is valid), as xmllint prints them. */
export async function validateXml(xml: string, xsdPath: string): Promise<string[]> {
  let schema = schemas.get(xsdPath);
  if (!schema) schemas.set(xsdPath, (schema = readFile(xsdPath, 'utf8')));
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: xml }],
    schema: [{ fileName: basename(xsdPath), contents: await schema }],
    // The default 32 MiB is too small for the larger generated files.
    maxMemoryPages: 512 * memoryPages.MiB,
  });
  return result.errors.map((e) => e.rawMessage);
}

/** The schema errors of a pain.002 the writer wrote (the Document inside its envelope, if any), against its version's XSD. */
export async function validatePain002(xml: string): Promise<string[]> {
  const start = xml.indexOf('<Document');
  const end = xml.lastIndexOf('</Document>');
  if (start < 0 || end < 0) return ['no Document in the file'];
  const document = xml.slice(start, end + '</Document>'.length);
  const version = /xmlns="urn:iso:std:iso:20022:tech:xsd:(pain\.002\.001\.(?:03|10))"/.exec(document)?.[1] as 'pain.002.001.03' | 'pain.002.001.10' | undefined;
  if (!version) return ['not a pain.002.001.03 or .10 Document'];
  return validateXml(document, XSD[version]);
}
