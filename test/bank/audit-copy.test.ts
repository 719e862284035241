// The local audit copy of files sent and received (src/bank/setup.ts): every file received is
// kept (SPEC §7), so a second file under a name seen before, with other bytes, gets a name of its
// own instead of overwriting the first; the same bytes kept again are not copied twice.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keepAuditCopy } from '../../src/bank/setup.ts';

describe('audit copies', () => {
  it('a second file of a known name with other content is kept beside the first, not over it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'payrail-audit-')), 'received');
    await keepAuditCopy(dir, 'PSR.xml', 'first');
    await keepAuditCopy(dir, 'PSR.xml', Buffer.from('second'));
    await keepAuditCopy(dir, 'PSR.xml', 'third');
    assert.deepEqual(readdirSync(dir).sort(), ['PSR.xml', 'PSR.xml.1', 'PSR.xml.2']);
    assert.equal(readFileSync(join(dir, 'PSR.xml'), 'utf8'), 'first');
    assert.equal(readFileSync(join(dir, 'PSR.xml.1'), 'utf8'), 'second');
    assert.equal(readFileSync(join(dir, 'PSR.xml.2'), 'utf8'), 'third');
  });

  it('the same bytes kept again (a retried step) are one copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrail-audit-'));
    await keepAuditCopy(dir, 'A.xml', 'same');
    await keepAuditCopy(dir, 'A.xml', Buffer.from('same'));
    assert.deepEqual(readdirSync(dir), ['A.xml']);
  });
});
