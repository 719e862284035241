// Lists (SPEC §4): pages of `{data, hasMore}`, newest first, the cursor being the last id of the
// page before (`startingAfter`). A list call gives a ListResult that is both
//
//   awaitable      `const page = await client.payments.list({ limit: 50 })` — one page, with
//                  `page.nextPage()`;
//   async iterable `for await (const p of client.payments.list())` — every item of every page,
//                  fetching each page when the one before is used up.
//
// as in the OpenAI SDK (stripe-node's `autoPagingEach` is the same iteration under another name).

export interface ListParams {
  /** Page size, 1–100 (server default 20). */
  limit?: number;
  /** The id after which the page starts (the last id of the previous page). */
  startingAfter?: string;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  /** The page after this one; undefined when this is the last. */
  nextPage(): Promise<Page<T> | undefined>;
}

export interface ListResult<T> extends PromiseLike<Page<T>>, AsyncIterable<T> {}

type FetchPage<T, P extends ListParams> = (params: P) => Promise<{ data: T[]; hasMore: boolean }>;

function pageOf<T extends { id: string }, P extends ListParams>(raw: { data: T[]; hasMore: boolean }, params: P, fetchPage: FetchPage<T, P>): Page<T> {
  return {
    data: raw.data,
    hasMore: raw.hasMore,
    async nextPage() {
      const last = raw.data.at(-1);
      if (!raw.hasMore || !last) return undefined;
      const next = { ...params, startingAfter: last.id };
      return pageOf(await fetchPage(next), next, fetchPage);
    },
  };
}

/** A lazy list: nothing is fetched until it is awaited or iterated. */
export function listResult<T extends { id: string }, P extends ListParams>(params: P, fetchPage: FetchPage<T, P>): ListResult<T> {
  const first = () => fetchPage(params).then((raw) => pageOf(raw, params, fetchPage));
  return {
    then(onFulfilled, onRejected) {
      return first().then(onFulfilled, onRejected);
    },
    async *[Symbol.asyncIterator]() {
      let page: Page<T> | undefined = await first();
      while (page) {
        yield* page.data;
        page = await page.nextPage();
      }
    },
  };
}
