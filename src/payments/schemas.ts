// The JSON shape of a payment instruction, for the HTTP layer (validation, OpenAPI, types).
// Types and the limits every rail shares only; rail-specific rules (formats, per-rail lengths,
// presence) are src/rails/rules, which also re-check these limits so validatePayment stands alone.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { RAIL_TYPES } from '../rails/rails.ts';
import type { PaymentInput } from './model.ts';
import { CHARGE_BEARERS } from './model.ts';

const text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

/** `purpose`: the shape here, the code list in the rail rule (INVALID_PURPOSE names the field). */
export const PurposeSchema = Type.String({
  minLength: 4,
  maxLength: 4,
  description: 'ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd',
  examples: ['SUPP'],
});

export const ReceiverProxySchema = Type.Object(
  {
    type: text(16, 'FPS: FPS_ID, MOBILE, EMAIL, HKID. PAYNOW: MOBILE, NRIC, UEN, VPA'),
    value: text(254),
  },
  { additionalProperties: false },
);

export const ReceiverAddressSchema = Type.Object(
  {
    line1: Type.Optional(text(35)),
    line2: Type.Optional(text(35)),
    line3: Type.Optional(text(35)),
    street: Type.Optional(text(70, 'Street name (Cdtr/PstlAdr/StrtNm)')),
    buildingNumber: Type.Optional(text(16, 'Building number (BldgNb)')),
    postalCode: Type.Optional(text(16, 'Postal code (PstCd)')),
    city: Type.Optional(text(35, 'Town or city (TwnNm); some banks require it on CBFT and TT')),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2 (Ctry); defaults to receiver.country in bank files' })),
  },
  {
    additionalProperties: false,
    description: 'Lines, structured fields, or both (hybrid). Required on CBFT, TT, MEPS; absent on ACT. SWIFT x set on CBFT, TT, MEPS',
  },
);

export const ReceiverSchema = Type.Object(
  {
    name: text(140, 'At most 35 characters of the SWIFT x set on CBFT, TT, MEPS'),
    // Only a generous bound here: the rail rules say what a bank must look like (INVALID_RECEIVER_BANK).
    bank: Type.Optional(Type.String({ maxLength: 64, description: 'BIC (8 or 11), or on ACH/FPS/RTGS a 3-digit HK bank code', examples: ['OCBCSGSGXXX'] })),
    branchCode: Type.Optional(Type.String({ minLength: 3, maxLength: 3, description: 'HK branch code, with a 3-digit HK bank code' })),
    // HK numbers may carry spaces and dashes, IBANs spaces every four characters.
    bankAccountNumber: Type.Optional(text(64)),
    proxy: Type.Optional(ReceiverProxySchema),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2; required on CBFT and TT' })),
    address: Type.Optional(ReceiverAddressSchema),
  },
  { title: 'ReceiverInput', additionalProperties: false },
);

/** The body of a payment instruction (with `type`; the HK routes omit it, the path gives it). */
export const PaymentInputSchema = Type.Object(
  {
    type: Type.Union(RAIL_TYPES.map((t) => Type.Literal(t))),
    amount: Type.Integer({ description: 'Minor units of the currency (20000 SGD = S$200.00)' }),
    currency: Type.String({ minLength: 3, maxLength: 3, examples: ['SGD'] }),
    senderAccountId: text(64),
    senderAccountCurrency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })),
    paymentDate: Type.Optional(Type.String({ minLength: 10, maxLength: 10, description: "YYYY-MM-DD; defaults to today in the rail's time zone" })),
    customerReference: Type.Optional(text(35, 'A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent')),
    paymentDetails: Type.Optional(text(140)),
    bankChargeBearer: Type.Optional(
      Type.Union(
        CHARGE_BEARERS.map((b) => Type.Literal(b)),
        { description: 'CBFT, MEPS, TT only' },
      ),
    ),
    purpose: Type.Optional(PurposeSchema),
    receiver: ReceiverSchema,
  },
  { title: 'PaymentInput', additionalProperties: false },
);

// Compile-time guard: the schema and the PaymentInput interface describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesModel: Same<Static<typeof PaymentInputSchema>, PaymentInput> = true;
void schemaMatchesModel;
