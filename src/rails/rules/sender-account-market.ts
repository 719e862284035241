// HK rails debit an account at an HK bank, SG rails one at an SG bank.
import type { SharedFieldRule } from '../rule.ts';
import { fieldError } from '../rule.ts';

/** The sender account (when known) is in the rail's market. */
export const checkSenderAccountMarket: SharedFieldRule = (_payment, { rail, senderAccount }) =>
  senderAccount === undefined || senderAccount.market === rail.market
    ? []
    : [
        fieldError(
          'senderAccountId',
          'SENDER_ACCOUNT_MARKET_MISMATCH',
          `${rail.type} needs a sender account in ${rail.market}; this one is in ${senderAccount.market}`,
        ),
      ];
