// Schemas of what the payment endpoints answer (OpenAPI and response serialisation).
import { Type } from '@sinclair/typebox';

const Opt = Type.Optional;

export const ReceiverSchema = Type.Object(
  {
    name: Type.String(),
    bank: Opt(Type.String()),
    branchCode: Opt(Type.String()),
    bankAccountNumber: Opt(Type.String()),
    proxy: Opt(Type.Object({ type: Type.String(), value: Type.String() })),
    country: Opt(Type.String()),
    address: Opt(
      Type.Object({
        line1: Opt(Type.String()),
        line2: Opt(Type.String()),
        line3: Opt(Type.String()),
        street: Opt(Type.String()),
        buildingNumber: Opt(Type.String()),
        postalCode: Opt(Type.String()),
        city: Opt(Type.String()),
        country: Opt(Type.String()),
      }),
    ),
  },
  { title: 'Receiver' },
);

/** The `approval` of a batch or payment that needs one (SPEC §10). */
export const ApprovalSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('PENDING'), Type.Literal('APPROVED'), Type.Literal('REJECTED'), Type.Literal('EXPIRED')]),
    required: Type.Integer({ description: 'How many distinct approvers are needed (1 or 2)' }),
    approvals: Type.Array(Type.Object({ by: Type.String({ description: 'Who approved: a client id (cli_…)' }), at: Type.String() })),
    rejection: Opt(Type.Object({ by: Type.String(), at: Type.String(), reason: Type.String() })),
  },
  { title: 'ApprovalState', description: 'Maker-checker approval: nothing reaches the bank before it is APPROVED' },
);

export const PaymentSchema = Type.Object(
  {
    id: Type.String({ examples: ['pymt_01JC9Z6Q8W4M2X1A7B3C5D9E0F'] }),
    type: Type.String({ examples: ['MEPS'] }),
    status: Type.Union([Type.Literal('PROCESSING'), Type.Literal('SUBMITTED'), Type.Literal('COMPLETED'), Type.Literal('FAILED')]),
    amount: Type.Integer({ description: 'Minor units of currency (20000 SGD = S$200.00)' }),
    currency: Type.String(),
    senderAccountId: Type.String(),
    senderAccountCurrency: Opt(Type.String()),
    paymentDate: Type.String({ format: 'date' }),
    actualPaymentDate: Opt(Type.String({ format: 'date' })),
    customerReference: Type.String(),
    paymentDetails: Opt(Type.String()),
    bankChargeBearer: Opt(Type.String()),
    purpose: Opt(Type.String({ description: 'ISO category purpose code (a batch payment without its own has the batch’s)' })),
    receiver: ReceiverSchema,
    batchId: Opt(Type.String()),
    bankChargeAmount: Opt(Type.Integer()),
    bankChargeCurrency: Opt(Type.String()),
    failure: Opt(Type.Object({ stage: Type.String(), code: Type.String(), message: Type.String() })),
    approval: Opt(ApprovalSchema),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'Payment', description: 'A payment (SPEC §3)' },
);

export const StatusChangeSchema = Type.Object(
  {
    id: Type.String(),
    stage: Type.String({ description: 'The cause: CREATED (API), APPROVAL_GIVEN and APPROVAL (approval decisions), SUBMITTED, SUBMISSION, ACK1, ACK2, ACK3' }),
    fromStatus: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
    bankStatus: Opt(Type.String()),
    reasonCode: Opt(Type.String()),
    message: Opt(Type.String()),
    changes: Opt(Type.Record(Type.String(), Type.Unknown())),
    bankFileId: Opt(Type.String()),
    bankFileName: Opt(Type.String({ description: 'The bank file the status came in' })),
    level: Opt(Type.String({ description: 'Where the bank gave the status: group (GrpSts), paymentInfo (PmtInfSts) or transaction (TxSts)' })),
    reasonText: Opt(Type.String({ description: "The bank's own words (its AddtlInf lines), when it gave any" })),
    createdAt: Type.String(),
  },
  { title: 'StatusChange' },
);
