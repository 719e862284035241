// Cursor lists (SPEC §4): `?limit=` 1–100 (default 20) and `?startingAfter=<id>`, newest first.
// Ids are time-ordered ULIDs, so "newest first" is "id descending" and a cursor is just an id:
// rows inserted while a client pages never shift the pages it has not read yet.
import { Type } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';

export const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1–100' })),
    startingAfter: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]+_[0-9A-Z]{26}$', description: 'The last id of the previous page' }),
    ),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

/** A page of `item`s; named `<Item>List` in the OpenAPI document when the item is named. */
export const listOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), hasMore: Type.Boolean() }, typeof item.title === 'string' ? { title: `${item.title}List` } : {});
