// payrail's OpenAPI document → TypeScript types (sdk/src/openapi.ts). openapi-typescript is not
// installed in this repository (no new dependencies this session), so this is a small converter
// for the JSON Schema that TypeBox writes: objects, arrays, literals and enums, unions (anyOf,
// oneOf), allOf, `$ref` to components, records. Its output has openapi-typescript's shape
// (`components['schemas']`, and an `operations` interface) so that switching to that tool later
// changes the SDK's imports, not its code. Operations are keyed "METHOD /path": operationIds
// are not there yet.
import { format, resolveConfig } from 'prettier';

type Schema = Record<string, unknown>;

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

function comment(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  return `/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n`;
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  if (unique.length === 0) return 'never';
  return unique.length === 1 ? unique[0]! : unique.map((p) => (p.includes('&') ? `(${p})` : p)).join(' | ');
}

function objectType(schema: Schema): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const lines = Object.entries(properties).map(([name, prop]) => `${comment(prop.description)}${key(name)}${required.has(name) ? '' : '?'}: ${tsOf(prop)};`);
  const extra = schema.additionalProperties ?? Object.values((schema.patternProperties ?? {}) as Record<string, Schema>)[0];
  if (extra && typeof extra === 'object') lines.push(`[key: string]: ${tsOf(extra as Schema)};`);
  else if (extra === true) lines.push('[key: string]: unknown;');
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n}`;
}

/** The TypeScript type of a JSON Schema. */
export function tsOf(schema: Schema | undefined): string {
  if (!schema || typeof schema !== 'object') return 'unknown';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    return `components['schemas'][${JSON.stringify(name)}]`;
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map((v) => JSON.stringify(v)));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return union(alternatives.map(tsOf));
  if (Array.isArray(schema.allOf)) return (schema.allOf as Schema[]).map(tsOf).join(' & ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  return union(
    types.map((type) => {
      switch (type) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return `Array<${tsOf(schema.items as Schema | undefined)}>`;
        case 'object':
          return objectType(schema);
        default:
          return schema.properties ? objectType(schema) : 'unknown';
      }
    }),
  );
}

function jsonSchemaOf(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  if (!content) return undefined;
  return (content['application/json'] ?? content['application/problem+json'] ?? Object.values(content)[0])?.schema;
}

function operationType(op: Operation): string {
  const members: string[] = [];
  for (const place of ['path', 'query'] as const) {
    const params = (op.parameters ?? []).filter((p) => p.in === place);
    if (params.length === 0) continue;
    const fields = params.map((p) => `${comment(p.description ?? p.schema?.description)}${key(p.name)}${p.required ? '' : '?'}: ${tsOf(p.schema)};`);
    members.push(`${place}: {\n${fields.join('\n')}\n};`);
  }
  const body = jsonSchemaOf(op.requestBody?.content);
  if (body) members.push(`body${op.requestBody?.required ? '' : '?'}: ${tsOf(body)};`);
  const responses = Object.entries(op.responses ?? {});
  const success = responses.find(([status]) => /^2/.test(status));
  if (success) members.push(`/** ${success[0]} */\nresponse: ${success[1].content ? tsOf(jsonSchemaOf(success[1].content)) : 'void'};`);
  return `{\n${members.join('\n')}\n}`;
}

/** The text of sdk/src/openapi.ts for this document, formatted with the project's Prettier settings. */
export async function generateTypes(doc: OpenApiDocument, prettierConfigFor: string): Promise<string> {
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      ops.push(`${comment(op.summary)}${JSON.stringify(`${method.toUpperCase()} ${path}`)}: ${operationType(op)};`);
    }
  }
  const text = [
    "// Generated from payrail's OpenAPI document by sdk/scripts/generate-types.ts: do not edit.",
    '// Run `node --import tsx sdk/scripts/generate-types.ts` after an API change (a test checks it).',
    '/* eslint-disable */',
    '',
    `export interface components {\nschemas: {\n${schemas.map(([name, s]) => `${comment(s.description)}${key(name)}: ${tsOf(s)};`).join('\n')}\n};\n}`,
    '',
    `export interface operations {\n${ops.join('\n')}\n}`,
    '',
  ].join('\n');
  const config = (await resolveConfig(prettierConfigFor)) ?? {};
  return format(text, { ...config, parser: 'typescript' });
}
