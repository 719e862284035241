// Which payment of a batch a transaction status names (BANKS.md §4.6): OrgnlEndToEndId is the
// customer reference and OrgnlInstrId the payment id, but banks swap, upper-case and strip them
// (an `_` is not allowed in some banks' references). Each id is tried exactly (as a reference, then
// as a payment id), then by a normalised key: upper-case, `_` removed. A key that two payments of
// the batch share is never guessed at; when the two ids name different payments the entry names none.
import type { PaymentRow } from '../store/schema.ts';

/** The key two spellings of one id share. */
export function normalisedId(id: string): string {
  return id.trim().toUpperCase().replaceAll('_', '');
}

/** The payment an entry names, or why it names none (a sentence fragment). */
export type MatchResult = PaymentRow | string;

export function matcherFor(
  payments: readonly Pick<PaymentRow, 'id' | 'customer_reference'>[],
): (instructionId: string | undefined, endToEndId: string | undefined) => MatchResult;
export function matcherFor<P extends Pick<PaymentRow, 'id' | 'customer_reference'>>(payments: readonly P[]) {
  const byReference = new Map(payments.map((p) => [p.customer_reference, p]));
  const byId = new Map(payments.map((p) => [p.id, p]));
  // null: two payments share the key.
  const byKey = new Map<string, P | null>();
  const add = (id: string, p: P) => {
    const key = normalisedId(id);
    const had = byKey.get(key);
    byKey.set(key, had === undefined || had === p ? p : null);
  };
  for (const p of payments) {
    add(p.id, p);
    add(p.customer_reference, p);
  }
  /** undefined: no payment; null: several. */
  const one = (id: string | undefined): P | null | undefined => {
    if (id === undefined || id.trim() === '') return undefined;
    return byReference.get(id) ?? byId.get(id) ?? byKey.get(normalisedId(id));
  };
  return (instructionId: string | undefined, endToEndId: string | undefined): P | string => {
    const byEndToEnd = one(endToEndId);
    const byInstruction = one(instructionId);
    const found = [byEndToEnd, byInstruction].filter((p): p is P => p !== undefined && p !== null);
    if (found.length === 2 && found[0] !== found[1]) return 'names two different payments (OrgnlEndToEndId and OrgnlInstrId disagree)';
    if (found[0]) return found[0];
    if (byEndToEnd === null || byInstruction === null) return 'matches several payments once upper-cased and without `_` (not guessed)';
    return 'names no payment of the batch';
  };
}
