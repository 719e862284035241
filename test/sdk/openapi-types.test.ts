// The converter behind sdk/src/openapi.ts, on the JSON Schema shapes TypeBox writes. That the
// committed file is what it makes of the current API is checked in sdk.test.ts, on the document
// of the payrail that test already runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tsOf } from '../../sdk/scripts/openapi-to-ts.ts';

describe('the SDK types from the OpenAPI document', () => {
  it('converts the JSON Schema shapes TypeBox writes', () => {
    assert.equal(tsOf({ $ref: '#/components/schemas/Payment' }), `components['schemas']["Payment"]`);
    assert.equal(tsOf({ anyOf: [{ type: 'string', enum: ['A'] }, { const: 'B' }] }), '"A" | "B"');
    assert.equal(tsOf({ type: ['string', 'null'] }), 'string | null');
    assert.equal(tsOf({ type: 'array', items: { type: 'integer' } }), 'Array<number>');
    assert.equal(
      tsOf({ type: 'object', required: ['a'], properties: { a: { type: 'string' }, 'b-c': { type: 'boolean' } } }),
      '{\na: string;\n"b-c"?: boolean;\n}',
    );
    assert.equal(tsOf({ type: 'object', additionalProperties: { type: 'number' } }), '{\n[key: string]: number;\n}');
  });
});
