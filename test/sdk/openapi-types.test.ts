// sdk/src/openapi.ts is what sdk/scripts/generate-types.ts makes of the OpenAPI document now:
// an API change without regenerating the SDK's types fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OPENAPI_TS, expectedTypes } from '../../sdk/scripts/generate-types.ts';
import { tsOf } from '../../sdk/scripts/openapi-to-ts.ts';

describe('the SDK types from the OpenAPI document', () => {
  it('sdk/src/openapi.ts is up to date (else: node --import tsx sdk/scripts/generate-types.ts)', async () => {
    const expected = await expectedTypes();
    assert.ok(readFileSync(OPENAPI_TS, 'utf8') === expected, 'sdk/src/openapi.ts differs from what the generator makes of the current API');
  });

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
