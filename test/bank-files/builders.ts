// Fixtures for bank-file tests: pain.001 batches built from the rails' valid payments.
import type { Pain001Batch, Pain001Payment } from '../../src/bank-files/pain001/model.ts';
import type { PaymentInput } from '../../src/payments/model.ts';
import type { RailType } from '../../src/rails/rails.ts';
import { RAILS } from '../../src/rails/rails.ts';
import { validPayment } from '../rails/builders.ts';

export const UETR = '3f1b5c2e-8d4a-4f6b-9c7d-2e1a0b9c8d7e';

/** A pain.001 payment from a payment input, numbered for unique ids. */
export function filePayment(input: PaymentInput, n: number, changes: Partial<Pain001Payment> = {}): Pain001Payment {
  const crossBorder = RAILS[input.type].crossBorder;
  return {
    paymentId: `pymt_01JQ${String(n).padStart(22, '0')}`,
    customerReference: input.customerReference ?? `REF${String(n).padStart(6, '0')}`,
    amount: input.amount,
    currency: input.currency,
    receiver: input.receiver,
    ...(input.paymentDetails !== undefined && { paymentDetails: input.paymentDetails }),
    ...(crossBorder && { uetr: UETR }),
    ...changes,
  };
}

/** A one-payment-per-variant batch on a rail, sent from an account at the rail market's bank. */
export function batchOf(rail: RailType, payments: Pain001Payment[] = [filePayment(validPayment(rail), 1)], changes: Partial<Pain001Batch> = {}): Pain001Batch {
  const hk = RAILS[rail].market === 'HK';
  const first = validPayment(rail);
  return {
    messageId: 'PAYRAIL-PYMTB01JQ-1',
    createdAt: '2026-03-10T02:00:00Z',
    initiatingPartyName: 'Acme Trading Ltd',
    batchId: 'pymtb_01JQ0000000000000000000001',
    rail,
    paymentDate: '2026-03-11',
    ...(first.bankChargeBearer && { chargeBearer: first.bankChargeBearer }),
    debtor: {
      name: 'Acme Trading Ltd',
      accountNumber: hk ? '004-123-456789' : '0721234567',
      bank: hk ? 'HSBCHKHHHKH' : 'DBSSSGSGXXX',
      currency: first.currency,
    },
    payments,
    ...changes,
  };
}

/** A bank file's bytes in an encoding, with or without its byte order mark (as banks send them). */
export function encodedFile(text: string, encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1', bom = true): Buffer {
  if (encoding === 'utf-8') return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
  if (encoding === 'latin1') return Buffer.from(text, 'latin1');
  const le = Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf16le');
  return encoding === 'utf-16le' ? le : le.swap16();
}
