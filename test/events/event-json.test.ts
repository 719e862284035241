// The webhook body is built from the stored event without re-serialising its data: it must be
// exactly the JSON of the event object the API returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { eventJson, toEvent } from '../../src/events/service.ts';
import type { EventRow } from '../../src/store/schema.ts';

describe('eventJson', () => {
  it('is JSON.stringify(toEvent(row)) for any stored data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.nat(), (data, type, sequence) => {
        const row: EventRow = {
          id: 'evt_01JC9Z6Q8W4M2X1A7B3C5D9E0F',
          client_id: 'cli_x',
          type,
          object_type: 'payment',
          object_id: 'pymt_x',
          object_sequence: sequence,
          data: JSON.stringify(data),
          created_at: '2026-11-22T07:00:00.000Z',
        };
        assert.equal(eventJson(row), JSON.stringify(toEvent(row)));
      }),
      { numRuns: 2000 },
    );
  });
});
