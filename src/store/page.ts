// One page of a cursor list.

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/** Rows fetched with `limit + 1` → the page and whether more follow. */
export function toPage<T>(rows: T[], limit: number): Page<T> {
  return { data: rows.slice(0, limit), hasMore: rows.length > limit };
}
