// Validating one payment: resolve its rail, run every rule the table lists for it, and return
// every problem (never only the first), so a client can fix a whole batch in one round trip.
import type { FieldError } from '../errors.ts';
import type { PaymentInput } from '../payments/model.ts';
import { isRailType, RAIL_TYPES, RAILS } from './rails.ts';
import type { RailType } from './rails.ts';
import type { Rule, RuleContext, SharedFieldRule, SharedFields, ValidationContext } from './rule.ts';
import { fieldError } from './rule.ts';
import { ruleNamed, rulesFor, sharedFieldRuleNamed } from './rule-table.ts';

export type { SenderAccount, ValidationContext } from './rule.ts';

/** A rail's rules, looked up once (a batch validates up to 1,000 payments per request). */
interface RailRules {
  /** Every rule, in table order: one payment on its own. */
  all: Rule[];
  /** Split for a batch: the rules on the shared fields (run once) and the others. */
  shared: SharedFieldRule[];
  own: Rule[];
}

const RULES_BY_RAIL = new Map<RailType, RailRules>(
  RAIL_TYPES.map((t) => {
    const names = rulesFor(t);
    return [
      t,
      {
        all: names.map(ruleNamed),
        shared: names.flatMap((n) => sharedFieldRuleNamed(n) ?? []),
        own: names.filter((n) => !sharedFieldRuleNamed(n)).map(ruleNamed),
      },
    ];
  }),
);

// The type says RailType, but the value may come from an unchecked source; without a rail no
// other rule can run.
const invalidType = (): FieldError => fieldError('type', 'INVALID_PAYMENT_TYPE', `must be one of ${RAIL_TYPES.join(', ')}`);

// Two rules may find the same fault (a control character in a name is both outside what the bank
// file carries and not plain text): a field is reported once per code.
function runRules(rules: readonly Rule[], payment: PaymentInput, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const error of rule(payment, ctx)) {
      const key = `${error.path}|${error.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(error);
    }
  }
  return errors;
}

/** Every rail-rule violation of `input`, paths relative to the payment; empty when valid. Never throws. */
export function validatePayment(input: PaymentInput, ctx: ValidationContext): FieldError[] {
  if (!isRailType(input.type)) return [invalidType()];
  return runRules(RULES_BY_RAIL.get(input.type)!.all, input, { ...ctx, rail: RAILS[input.type] });
}

/** How a batch is validated: the shared fields' problems (once), and a check for each payment. */
export interface BatchValidation {
  /** Problems of the shared fields, paths as on the batch (`currency`, `paymentDate`, …). */
  shared: FieldError[];
  /** The problems of one payment's own fields, paths relative to the payment. */
  validateOwn(payment: PaymentInput): FieldError[];
}

/**
 * Validation for the payments of one batch. Together, `shared` and `validateOwn` of each payment
 * find what validatePayment finds for each; the rules on shared fields run once, as their answer
 * is the same for every payment, and the rail's context is built once.
 */
export function batchValidation(shared: SharedFields, ctx: ValidationContext): BatchValidation {
  if (!isRailType(shared.type)) return { shared: [invalidType()], validateOwn: () => [] };
  const railCtx: RuleContext = { ...ctx, rail: RAILS[shared.type] };
  const rules = RULES_BY_RAIL.get(shared.type)!;
  return {
    shared: rules.shared.flatMap((rule) => rule(shared, railCtx)),
    validateOwn: (payment) => runRules(rules.own, payment, railCtx),
  };
}

/** The same errors under a prefix, e.g. `payments[3]` for an item of a batch. */
export function withPathPrefix(errors: FieldError[], prefix: string): FieldError[] {
  return errors.map((e) => ({ ...e, path: e.path === '' ? prefix : `${prefix}.${e.path}` }));
}
