// Token issuance: POST /v1.0/auth (client credentials in the form body) for the unlimited
// `payrail` client, 50 connections. Each request looks the client up, checks its secret and signs
// an ES256 access token.
import { cannon } from '../lib/cannon.ts';
import type { CannonResult } from '../lib/cannon.ts';
import { startPayrail } from '../lib/payrail.ts';
import type { Scenario } from '../lib/scenario.ts';
import { median, ms, perSecond } from '../lib/stats.ts';

const CONNECTIONS = 50;

const scenario: Scenario = {
  name: 'token',
  title: 'token issuance',
  async run({ quick, log }) {
    const duration = quick ? 2 : 5;
    const rounds = quick ? 1 : 3;
    const bench = await startPayrail({ env: { PAYRAIL_ROLE: 'api' } });
    try {
      const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: bench.clientId, client_secret: bench.secret }).toString();
      const load = (seconds: number) =>
        cannon({
          url: `${bench.address}/v1.0/auth`,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          connections: CONNECTIONS,
          duration: seconds,
        });
      await load(quick ? 1 : 3);
      const runs: CannonResult[] = [];
      for (let r = 0; r < rounds; r++) {
        runs.push(await load(duration));
        log(`round ${r + 1}: ${perSecond(runs.at(-1)!.requests.average)} req/s`);
      }
      const rps = median(runs.map((x) => x.requests.average));
      return {
        rows: [
          {
            scenario: 'token issuance (POST /v1.0/auth, unlimited client, 50 connections)',
            payrail: `${perSecond(rps)} req/s, p50 ${ms(median(runs.map((x) => x.latency.p50)))}, p99 ${ms(median(runs.map((x) => x.latency.p99)))}`,
            reference: '—',
            ratio: '—',
            target: '—',
          },
        ],
        notes: [`token: ${rounds} rounds of ${duration} s after a warm-up, medians; PAYRAIL_ROLE=api (no workers).`],
      };
    } finally {
      await bench.stop();
    }
  },
};

export default scenario;
