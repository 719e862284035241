// What every FileTransport does (src/bank/connector.ts), run against the local and the SFTP
// transport alike. The bank's side is played by writing into the exchange root on disk directly.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, it } from 'node:test';
import type { FileTransport } from '../../src/bank/connector.ts';

/**
 * A transport over a fresh, empty exchange root, that root's path on this disk, and how to open a
 * second transport over the same root (another instance, another session).
 */
export type TransportFactory = () => Promise<{ transport: FileTransport; root: string; another(): FileTransport }>;

const PAIN001 = '<?xml version="1.0" encoding="UTF-8"?>\n<Document>陳大文 &amp; Co</Document>\n';

export function transportContract(make: TransportFactory): void {
  const open: FileTransport[] = [];
  async function fresh() {
    const made = await make();
    open.push(made.transport);
    const another = () => {
      const t = made.another();
      open.push(t);
      return t;
    };
    const bank = (path: string, content: string) => {
      mkdirSync(join(made.root, path, '..'), { recursive: true });
      writeFileSync(join(made.root, path), content);
    };
    const disk = (path: string) => readFileSync(join(made.root, path), 'utf8');
    const present = (path: string) => existsSync(join(made.root, path));
    return { ...made, another, bank, disk, present };
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  it('upload puts outbox/<name> there whole, leaves no .part, and has() sees it', async () => {
    const { transport, disk, present, root } = await fresh();
    assert.equal(await transport.has('PAYRAIL-1.xml'), false);
    await transport.upload('PAYRAIL-1.xml', PAIN001);
    assert.equal(disk('outbox/PAYRAIL-1.xml'), PAIN001);
    assert.equal(present('outbox/PAYRAIL-1.xml.part'), false);
    assert.equal(await transport.has('PAYRAIL-1.xml'), true);
    assert.deepEqual(readdirSync(root).sort(), ['archive', 'error', 'inbox', 'outbox']);
  });

  it('upload writes bytes as they are (an OpenPGP file is binary, not UTF-8)', async () => {
    const { transport, root } = await fresh();
    // Not valid UTF-8: a text round trip would turn these into U+FFFD.
    const bytes = new Uint8Array([0x85, 0x01, 0x0c, 0x03, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
    await transport.upload('PAYRAIL-2.xml.pgp', bytes.subarray(2));
    assert.deepEqual([...readFileSync(join(root, 'outbox/PAYRAIL-2.xml.pgp'))], [...bytes.subarray(2)]);
  });

  it('uploading a name the bank already has writes nothing', async () => {
    const { transport, disk } = await fresh();
    await transport.upload('PAYRAIL-1.xml', PAIN001);
    await transport.upload('PAYRAIL-1.xml', '<Document>second attempt</Document>');
    assert.equal(disk('outbox/PAYRAIL-1.xml'), PAIN001);
  });

  it('partial files of a name left by crashed uploads are removed once it is uploaded; other names keep theirs', async () => {
    const { transport, bank, disk, present } = await fresh();
    await transport.listInbox(); // the folders exist
    bank('outbox/PAYRAIL-1.xml.part', '<Document>half a fi');
    bank('outbox/PAYRAIL-1.xml.0123456789ab.part', '<Document>half a fi');
    bank('outbox/PAYRAIL-2.xml.0123456789ab.part', '<Document>still being written');
    await transport.upload('PAYRAIL-1.xml', PAIN001);
    assert.equal(disk('outbox/PAYRAIL-1.xml'), PAIN001);
    assert.equal(present('outbox/PAYRAIL-1.xml.part'), false);
    assert.equal(present('outbox/PAYRAIL-1.xml.0123456789ab.part'), false);
    assert.equal(present('outbox/PAYRAIL-2.xml.0123456789ab.part'), true);
  });

  it('two uploads of one file at once (two instances, other bytes each, as OpenPGP makes them): the bank gets one whole, once, and no partial is left', async () => {
    const { transport, another, root, disk } = await fresh();
    await transport.listInbox();
    const outbox = join(root, 'outbox');
    // The first is large (written in many pieces); the second starts while the first is being written.
    const a = `<Document>${'a'.repeat(8 << 20)}</Document>\n`;
    const b = '<Document>b</Document>\n';
    let firstDone = false;
    const first = transport.upload('PAYRAIL-3.xml', a).finally(() => (firstDone = true));
    while (!firstDone && !readdirSync(outbox).some((n) => n.endsWith('.part'))) await new Promise((r) => setTimeout(r, 1));
    await another().upload('PAYRAIL-3.xml', b);
    await first;
    const got = disk('outbox/PAYRAIL-3.xml');
    assert.ok(got === a || got === b, `the file is one attempt's, whole (length ${got.length}, starts ${got.slice(0, 12)}…, ends …${got.slice(-14)})`);
    assert.deepEqual(readdirSync(outbox), ['PAYRAIL-3.xml']);
  });

  it('listInbox: finished files only (no .part, no hidden files, no folders), sorted by name', async () => {
    const { transport, bank, root } = await fresh();
    await transport.listInbox();
    for (const name of ['M2.ACK1.xml', 'M1.ACK2.xml', 'M1.ACK1.xml', 'M3.ACK1.xml.part', '.sandbox-state']) bank(`inbox/${name}`, 'x');
    mkdirSync(join(root, 'inbox', 'sub'));
    assert.deepEqual(await transport.listInbox(), ['M1.ACK1.xml', 'M1.ACK2.xml', 'M2.ACK1.xml']);
  });

  it('readInbox returns the content as the bytes written', async () => {
    const { transport, bank } = await fresh();
    bank('inbox/M1.ACK1.xml', PAIN001);
    assert.equal((await transport.readInbox('M1.ACK1.xml')).toString('utf8'), PAIN001);
  });

  it('archive moves the file to archive/; archiving it again (a lost reply) changes nothing', async () => {
    const { transport, bank, disk, present } = await fresh();
    bank('inbox/M1.ACK1.xml', PAIN001);
    await transport.archive('M1.ACK1.xml');
    await transport.archive('M1.ACK1.xml');
    assert.equal(present('inbox/M1.ACK1.xml'), false);
    assert.equal(disk('archive/M1.ACK1.xml'), PAIN001);
    assert.deepEqual(await transport.listInbox(), []);
  });

  it('reject moves the file to error/ with the reason beside it', async () => {
    const { transport, bank, disk, present } = await fresh();
    bank('inbox/M9.ACK2.xml', 'garbage');
    await transport.reject('M9.ACK2.xml', 'not a readable pain.002: not well-formed XML');
    assert.equal(present('inbox/M9.ACK2.xml'), false);
    assert.equal(disk('error/M9.ACK2.xml'), 'garbage');
    assert.equal(disk('error/M9.ACK2.xml.reason.txt'), 'not a readable pain.002: not well-formed XML\n');
  });

  it('a later file of the same name does not overwrite the archived one', async () => {
    const { transport, bank, disk } = await fresh();
    bank('inbox/ACK.xml', 'first');
    await transport.archive('ACK.xml');
    bank('inbox/ACK.xml', 'second');
    await transport.archive('ACK.xml');
    assert.deepEqual([disk('archive/ACK.xml'), disk('archive/ACK.xml.1')], ['first', 'second']);
  });

  it('refuses names with a path, and archiving a file that is not there', async () => {
    const { transport } = await fresh();
    await assert.rejects(transport.upload('../escape.xml', 'x'), /plain file name/);
    await assert.rejects(transport.readInbox('a/b.xml'), /plain file name/);
    await assert.rejects(transport.archive('missing.xml'), /does not exist/);
  });
}
