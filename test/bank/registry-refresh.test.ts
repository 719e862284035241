// A refresh asked for while another runs sees every change made before it was asked: the running
// one may have read the connections already (it used to be shared, so a connection added during a
// periodic refresh waited up to the next one, 30 s, on the instance that added it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { FileTransport } from '../../src/bank/connector.ts';
import type { BankEndpoint } from '../../src/bank/endpoints.ts';
import { createBankEndpointRegistry } from '../../src/bank/connections/registry.ts';
import type { BankConnectionsStore, StoredConnection } from '../../src/bank/connections/store.ts';

describe('bank endpoint registry: refresh during a refresh', () => {
  it('a refresh asked for during a running one reads the connections again after it', async () => {
    const versions = new Map<string, { version: string; bics: string[] }>();
    let release: () => void = () => {};
    let reads = 0;
    const store = {
      async versions() {
        reads++;
        const snapshot = new Map(versions);
        // The first read is slow: a change lands while it runs.
        if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
        return snapshot;
      },
      async load(id: string) {
        return { id, version: versions.get(id)!.version, profile: 'generic', ackTimeoutMinutes: 60 } as unknown as StoredConnection;
      },
      async recordError() {},
    } as unknown as BankConnectionsStore;
    const transport = { close: async () => {} } as unknown as FileTransport;
    const registry = createBankEndpointRegistry({
      store,
      sandbox: { id: 'sandbox' } as unknown as BankEndpoint,
      archiveRoot: '/nonexistent',
      logger: pino({ level: 'silent' }),
      clock: () => Date.now(),
      openTransport: async () => transport,
    });

    const periodic = registry.refresh();
    await new Promise((r) => setImmediate(r));
    versions.set('bank_new', { version: 'v1', bics: ['DBSSSGSGXXX'] });
    const afterChange = registry.refresh();
    const alsoAfterChange = registry.refresh();
    release();
    await periodic;
    await afterChange;
    await alsoAfterChange;
    assert.equal(registry.forBank('DBSSSGSG')?.id, 'bank_new', 'the connection added during the running refresh is routed once the later refresh resolves');
    assert.equal(reads, 2, `calls made during one refresh share the next one (reads: ${reads})`);
    await registry.close();
  });
});
