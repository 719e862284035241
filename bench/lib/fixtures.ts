// The payments every scenario sends: FAST payments in SGD from a DBS account to receivers at a
// few banks, with varied names, amounts and references, two weeks ahead (always a valid date).
import { addDays } from '../../src/calendars/local-date.ts';
import { todayIn } from '../../src/calendars/zoned-time.ts';
import type { Pain001Payment } from '../../src/bank-files/pain001/writer.ts';

export const SENDER_ACCOUNT = { name: 'Bench Payroll SGD', bank: 'DBSSSGSGXXX', accountNumber: '0123456789', currencies: ['SGD'] };
const RECEIVER_BANKS = ['OCBCSGSGXXX', 'UOVBSGSGXXX', 'DBSSSGSGXXX', 'SCBLSGSGXXX'];

/** A payment date every rule accepts: two weeks after today in Singapore. */
export function paymentDate(now = Date.now()): string {
  return addDays(todayIn('Asia/Singapore', now), 14);
}

/** One batch item (a payment without the batch's shared fields); `tag` keeps references unique. */
export function batchItem(tag: string, i: number, accountNumber = String(100_000_000 + i)) {
  return {
    amount: 10_000 + ((i * 7919) % 990_000),
    customerReference: `${tag}-${i}`.slice(0, 35),
    paymentDetails: `Salary ${tag} ${i}`.slice(0, 140),
    receiver: { name: `Employee ${i} Tan`, bank: RECEIVER_BANKS[i % RECEIVER_BANKS.length]!, bankAccountNumber: accountNumber },
  };
}

/** A POST /v1/payment-batches body of `count` FAST payments. */
export function batchBody(senderAccountId: string, tag: string, count: number, accountFor?: (i: number) => string | undefined) {
  return {
    type: 'FAST',
    paymentDate: paymentDate(),
    senderAccountId,
    currency: 'SGD',
    payments: Array.from({ length: count }, (_, i) => batchItem(tag, i, accountFor?.(i))),
  };
}

/** A POST /v1/payments body without customerReference (payrail generates a unique one). */
export function paymentBody(senderAccountId: string) {
  return {
    type: 'FAST',
    amount: 20_000,
    currency: 'SGD',
    senderAccountId,
    paymentDetails: 'Invoice 2026-0042',
    receiver: { name: 'Donut Shop', bank: 'OCBCSGSGXXX', bankAccountNumber: '123456789' },
  };
}

/** `count` payments as the pain.001 writer takes them (ids shaped like payrail's). */
export function pain001Payments(count: number): Pain001Payment[] {
  return Array.from({ length: count }, (_, i) => {
    const item = batchItem('PAIN001', i);
    return {
      paymentId: `pymt_01JC9Z${String(i).padStart(20, '0')}`,
      customerReference: item.customerReference,
      amount: item.amount,
      currency: 'SGD',
      receiver: item.receiver,
      paymentDetails: item.paymentDetails,
    };
  });
}
