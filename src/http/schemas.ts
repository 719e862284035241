// Schemas shared by every route's OpenAPI description. A schema with a `title` is a named component
// of the document (src/http/openapi.ts): keep titles stable, SDK types are generated from them.
import { Type } from '@sinclair/typebox';

export const FieldErrorSchema = Type.Object(
  { path: Type.String({ examples: ['payments[3].receiver.bank'] }), code: Type.String(), message: Type.String() },
  { title: 'FieldError', description: 'One problem with one field of the request' },
);

/** RFC 9457 problem details, as every error answers. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    requestId: Type.String(),
  },
  { title: 'Problem', description: 'RFC 9457 problem details' },
);
