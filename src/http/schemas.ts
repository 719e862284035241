// Schemas shared by every route's OpenAPI description.
import { Type } from '@sinclair/typebox';

export const FieldErrorSchema = Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() });

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
  { description: 'RFC 9457 problem details' },
);
