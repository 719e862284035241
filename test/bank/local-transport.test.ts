import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { createLocalTransport } from '../../src/bank/transports/local-transport.ts';
import { transportContract } from './transport-contract.ts';

describe('local transport: <root>/{outbox,inbox,archive,error}', () => {
  const base = mkdtempSync(join(tmpdir(), 'payrail-local-transport-'));
  let n = 0;
  after(() => rmSync(base, { recursive: true, force: true }));
  transportContract(async () => {
    const root = join(base, `bank-${++n}`);
    return { transport: createLocalTransport(root), root, another: () => createLocalTransport(root) };
  });
});
