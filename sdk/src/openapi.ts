// Generated from payrail's OpenAPI document by sdk/scripts/generate-types.ts: do not edit.
// Run `node --import tsx sdk/scripts/generate-types.ts` after an API change (a test checks it).
/* eslint-disable */

export interface components {
  schemas: {
    /** A sender account */
    Account: {
      id: string;
      name: string;
      bank: string;
      accountNumber: string;
      market: 'HK' | 'SG';
      currencies: Array<string>;
      legalName?: string;
      country?: string;
      address?: Array<string>;
      bankCustomerId?: string;
      createdAt: string;
      updatedAt: string;
    };
    AccountInput: {
      name: string;
      /** BIC (8 or 11) or 3-digit HK bank code */
      bank: string;
      accountNumber: string;
      currencies: Array<string>;
      /** The holder's legal name as the bank knows it: the debtor name of bank files (default: name) */
      legalName?: string;
      /** ISO 3166-1 alpha-2 of the holder's address */
      country?: string;
      /** The holder's address, 1–3 lines */
      address?: Array<string>;
      /** The bank's id for the customer (pain.001 InitgPty/Id) */
      bankCustomerId?: string;
    };
    AccountList: {
      data: Array<components['schemas']['Account']>;
      hasMore: boolean;
    };
    AchBulkInput: {
      senderAccountId: string;
      senderAccountCurrency?: string;
      currency: string;
      /** defaults to today in Hong Kong */
      paymentDate?: string;
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd; the purpose of every payment that gives none of its own */
      purpose?: string;
      payments: Array<components['schemas']['PaymentBatchItem']>;
    };
    /** An approval: what waits for (or had) the checker’s decision */
    Approval: {
      id: string;
      objectType: 'payment-batch' | 'payment';
      objectId: string;
      /** The client that created it (the maker) */
      clientId: string;
      status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
      /** How many distinct approvers are needed (1 or 2) */
      required: number;
      approvals: Array<{
        /** Who approved: a client id (cli_…) */
        by: string;
        at: string;
      }>;
      rejection?: {
        by: string;
        at: string;
        reason: string;
      };
      /** The payment's amount or the batch's total, minor units */
      amount: number;
      currency: string;
      /** Not approved by then: EXPIRED, every payment FAILED (PAYRAIL_APPROVAL_EXPIRY_HOURS) */
      expiresAt: string;
      decidedAt?: string;
      createdAt: string;
      updatedAt: string;
      paymentBatch?: components['schemas']['PaymentBatchSummary'];
      payment?: components['schemas']['Payment'];
    };
    ApprovalDecision: {
      /** A note kept with the approval. At most 500 characters, one line, no control characters */
      reason?: string;
    };
    ApprovalList: {
      data: Array<components['schemas']['Approval']>;
      hasMore: boolean;
    };
    ApprovalPolicy: {
      id: string;
      clientId: string;
      accountId?: string;
      above: number;
      approvers: number;
      createdAt: string;
      updatedAt: string;
    };
    ApprovalPolicyInput: {
      /** One of the admin user’s clients */
      clientId: string;
      /** A sender account of the client: this account's own policy */
      accountId?: string;
      /** Minor units: a single payment's amount or a batch's total above this needs approval (0: everything) */
      above: number;
      /** How many distinct approvers: 1 or 2 */
      approvers: number;
    };
    /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
    ApprovalState: {
      status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
      /** How many distinct approvers are needed (1 or 2) */
      required: number;
      approvals: Array<{
        /** Who approved: a client id (cli_…) */
        by: string;
        at: string;
      }>;
      rejection?: {
        by: string;
        at: string;
        reason: string;
      };
    };
    AuditEntry: {
      id: string;
      at: string;
      actor: {
        kind: string;
        id: string;
      };
      sourceAddress?: string;
      osUser?: string;
      action: string;
      object: {
        type: string;
        id: string;
      };
      details: {
        [key: string]: unknown;
      };
    };
    AuditEntryList: {
      data: Array<components['schemas']['AuditEntry']>;
      hasMore: boolean;
    };
    ClientKeys: {
      keys: Array<{
        [key: string]: unknown;
      }>;
    };
    ClientKeysInput: {
      keys: Array<{
        kty?: string;
        kid?: string;
        use?: string;
        alg?: string;
        [key: string]: unknown;
      }>;
    };
    /** A dry run that passed: create would accept this body now. Nothing was stored. */
    DryRunResult: {
      valid: true;
      paymentDate: string;
      /** The value date the bank would use if the request were created now: the payment date, or the next business day after a holiday or the cut-off */
      expectedValueDate: string;
      summary: {
        type: string;
        currency: string;
        /** Payments the request would create (1 for a single payment) */
        count: number;
        /** Their sum in minor units */
        totalAmount: number;
        /** An approval policy would hold it until approved (SPEC §10) */
        approvalRequired: boolean;
      };
    };
    Event: {
      id: string;
      type: string;
      createdAt: string;
      /** 1, 2, 3… per payment or batch: the order of events about one object */
      sequence: number;
      /** The batch or payment object at that moment */
      data: unknown;
    };
    EventList: {
      data: Array<components['schemas']['Event']>;
      hasMore: boolean;
    };
    /** The FAILED payment itself, or a problem when the path is malformed */
    FailedHkPaymentOrProblem: components['schemas']['Payment'] | components['schemas']['Problem'];
    /** One problem with one field of the request */
    FieldError: {
      path: string;
      code: string;
      message: string;
    };
    HkPaymentInput: {
      /** Minor units of the currency (20000 SGD = S$200.00) */
      amount: number;
      currency: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      /** YYYY-MM-DD; defaults to today in the rail's time zone */
      paymentDate?: string;
      /** A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent */
      customerReference?: string;
      paymentDetails?: string;
      /** CBFT, MEPS, TT only */
      bankChargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED';
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd */
      purpose?: string;
      receiver: components['schemas']['ReceiverInput'];
    };
    HkPaymentOrBatch: components['schemas']['Payment'] | components['schemas']['PaymentBatch'];
    HkPaymentRequest: components['schemas']['HkPaymentInput'] | components['schemas']['AchBulkInput'];
    /** A JSON object: a probe answer or a discovery document */
    JsonDocument: Record<string, never>;
    /** An OAuth 2.0 error (RFC 6749 §5.2) */
    OAuthError: {
      error: string;
      error_description?: string;
    };
    /** A payment (SPEC §3) */
    Payment: {
      id: string;
      type: string;
      status: 'PROCESSING' | 'SUBMITTED' | 'COMPLETED' | 'FAILED';
      /** Minor units of currency (20000 SGD = S$200.00) */
      amount: number;
      currency: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      paymentDate: string;
      actualPaymentDate?: string;
      customerReference: string;
      paymentDetails?: string;
      bankChargeBearer?: string;
      /** ISO category purpose code (a batch payment without its own has the batch’s) */
      purpose?: string;
      receiver: components['schemas']['Receiver'];
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      approval?: components['schemas']['ApprovalState'];
      createdAt: string;
      updatedAt: string;
    };
    /** A batch of payments (SPEC §3) */
    PaymentBatch: {
      id: string;
      type: string;
      status: 'PROCESSING' | 'SUBMITTED' | 'COMPLETED' | 'FAILED';
      paymentDate: string;
      /** The date a late approval rolled the batch to */
      actualPaymentDate?: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      currency: string;
      /** ISO category purpose code of the batch */
      purpose?: string;
      payments: Array<{
        id: string;
        status: 'PROCESSING' | 'SUBMITTED' | 'COMPLETED' | 'FAILED';
        customerReference: string;
        amount: number;
      }>;
      summary: {
        count: number;
        /** minor units */
        totalAmount: number;
        processing: number;
        submitted: number;
        completed: number;
        failed: number;
      };
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      approval?: components['schemas']['ApprovalState'];
      createdAt: string;
      updatedAt: string;
    };
    PaymentBatchInput: {
      type: 'ACH' | 'FPS' | 'RTGS' | 'CBFT' | 'MEPS' | 'FAST' | 'PAYNOW' | 'ACT' | 'TT';
      /** YYYY-MM-DD, shared by every payment */
      paymentDate: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      currency: string;
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd; the purpose of every payment that gives none of its own */
      purpose?: string;
      /** 1 to 1,000 payments */
      payments: Array<components['schemas']['PaymentBatchItem']>;
    };
    PaymentBatchItem: {
      /** Minor units of the currency (20000 SGD = S$200.00) */
      amount: number;
      /** A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent */
      customerReference?: string;
      paymentDetails?: string;
      /** CBFT, MEPS, TT only */
      bankChargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED';
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd */
      purpose?: string;
      receiver: components['schemas']['ReceiverInput'];
    };
    PaymentBatchList: {
      data: Array<components['schemas']['PaymentBatch']>;
      hasMore: boolean;
    };
    /** A batch in lists: without its payments */
    PaymentBatchSummary: {
      id: string;
      type: string;
      status: 'PROCESSING' | 'SUBMITTED' | 'COMPLETED' | 'FAILED';
      paymentDate: string;
      /** The date a late approval rolled the batch to */
      actualPaymentDate?: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      currency: string;
      /** ISO category purpose code of the batch */
      purpose?: string;
      summary: {
        count: number;
        /** minor units */
        totalAmount: number;
        processing: number;
        submitted: number;
        completed: number;
        failed: number;
      };
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      approval?: components['schemas']['ApprovalState'];
      createdAt: string;
      updatedAt: string;
    };
    PaymentInput: {
      type: 'ACH' | 'FPS' | 'RTGS' | 'CBFT' | 'MEPS' | 'FAST' | 'PAYNOW' | 'ACT' | 'TT';
      /** Minor units of the currency (20000 SGD = S$200.00) */
      amount: number;
      currency: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      /** YYYY-MM-DD; defaults to today in the rail's time zone */
      paymentDate?: string;
      /** A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent */
      customerReference?: string;
      paymentDetails?: string;
      /** CBFT, MEPS, TT only */
      bankChargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED';
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd */
      purpose?: string;
      receiver: components['schemas']['ReceiverInput'];
    };
    PaymentList: {
      data: Array<components['schemas']['Payment']>;
      hasMore: boolean;
    };
    /** RFC 9457 problem details */
    Problem: {
      type: string;
      title: string;
      status: number;
      code: string;
      detail?: string;
      errors?: Array<components['schemas']['FieldError']>;
      requestId: string;
    };
    Receiver: {
      name: string;
      bank?: string;
      branchCode?: string;
      bankAccountNumber?: string;
      proxy?: {
        type: string;
        value: string;
      };
      country?: string;
      address?: {
        line1?: string;
        line2?: string;
        line3?: string;
        street?: string;
        buildingNumber?: string;
        postalCode?: string;
        city?: string;
        country?: string;
      };
    };
    ReceiverInput: {
      /** At most 35 characters of the SWIFT x set on CBFT, TT, MEPS */
      name: string;
      /** BIC (8 or 11), or on ACH/FPS/RTGS a 3-digit HK bank code */
      bank?: string;
      /** HK branch code, with a 3-digit HK bank code */
      branchCode?: string;
      bankAccountNumber?: string;
      proxy?: {
        /** FPS: FPS_ID, MOBILE, EMAIL, HKID. PAYNOW: MOBILE, NRIC, UEN, VPA */
        type: string;
        value: string;
      };
      /** ISO 3166-1 alpha-2; required on CBFT and TT */
      country?: string;
      /** Lines, structured fields, or both (hybrid). Required on CBFT, TT, MEPS; absent on ACT. SWIFT x set on CBFT, TT, MEPS */
      address?: {
        line1?: string;
        line2?: string;
        line3?: string;
        /** Street name (Cdtr/PstlAdr/StrtNm) */
        street?: string;
        /** Building number (BldgNb) */
        buildingNumber?: string;
        /** Postal code (PstCd) */
        postalCode?: string;
        /** Town or city (TwnNm); some banks require it on CBFT and TT */
        city?: string;
        /** ISO 3166-1 alpha-2 (Ctry); defaults to receiver.country in bank files */
        country?: string;
      };
    };
    RedeliverRequest: {
      /** Only this endpoint; absent = every enabled endpoint subscribed to the event type */
      endpointId?: string;
    };
    Redelivery: {
      eventId: string;
      deliveries: Array<{
        id: string;
        endpointId: string;
        status: 'pending' | 'delivered' | 'failed' | 'canceled';
        nextAttemptAt: string;
      }>;
    };
    Rejection: {
      /** Why it is rejected; becomes the payments' failure message. At most 500 characters, one line, no control characters */
      reason: string;
    };
    StatusChange: {
      id: string;
      /** The cause: CREATED (API), APPROVAL_GIVEN and APPROVAL (approval decisions), SUBMITTED, SUBMISSION, ACK1, ACK2, ACK3 */
      stage: string;
      fromStatus: string | null;
      status: string;
      bankStatus?: string;
      reasonCode?: string;
      message?: string;
      changes?: {
        [key: string]: unknown;
      };
      bankFileId?: string;
      /** The bank file the status came in */
      bankFileName?: string;
      /** Where the bank gave the status: group (GrpSts), paymentInfo (PmtInfSts) or transaction (TxSts) */
      level?: string;
      /** The bank's own words (its AddtlInf lines), when it gave any */
      reasonText?: string;
      createdAt: string;
    };
    StatusChangeList: {
      data: Array<components['schemas']['StatusChange']>;
      hasMore: boolean;
    };
    /** application/x-www-form-urlencoded or application/json */
    TokenRequest: {
      grant_type: 'client_credentials';
      /** Space-separated scopes; omitted = every scope of the client */
      scope?: string;
      client_id?: string;
      client_secret?: string;
      client_assertion_type?: string;
      client_assertion?: string;
    };
    TokenResponse: {
      access_token: string;
      token_type: 'Bearer';
      expires_in: number;
      scope: string;
    };
    WebhookDelivery: {
      id: string;
      eventId: string;
      eventType: string;
      endpointId: string;
      status: 'pending' | 'delivered' | 'failed' | 'canceled';
      attemptCount: number;
      nextAttemptAt?: string;
      lastAttemptAt?: string;
      lastStatusCode?: number;
      lastError?: string;
      attempts: Array<components['schemas']['WebhookDeliveryAttempt']>;
      createdAt: string;
      updatedAt: string;
    };
    WebhookDeliveryAttempt: {
      attemptedAt: string;
      /** The receiver's HTTP status */
      statusCode?: number;
      /** Why there was no 2xx (timeout, connection refused, HTTP 500…) */
      error?: string;
      durationMs: number;
    };
    WebhookDeliveryList: {
      data: Array<components['schemas']['WebhookDelivery']>;
      hasMore: boolean;
    };
    WebhookEndpoint: {
      id: string;
      url: string;
      events?: Array<string>;
      status: 'enabled' | 'disabled';
      disabledReason?: string;
      disabledAt?: string;
      /** Until then the secret before the last rotation signs too */
      previousSecretExpiresAt?: string;
      createdAt: string;
      updatedAt: string;
    };
    WebhookEndpointInput: {
      /** An absolute https URL (http and loopback too for test-mode clients), at most 2048 characters, without spaces, control characters, credentials or #fragment */
      url: string;
      /** The event types to send; absent = every type */
      events?: Array<
        | 'payment-batches.submitted'
        | 'payment-batches.rejected'
        | 'payments.succeeded'
        | 'payments.failed'
        | 'clients.keys_changed'
        | 'bank-files.overdue'
        | 'payment-batches.approval_required'
        | 'payment-batches.approved'
        | 'payments.approval_required'
        | 'payments.approved'
      >;
    };
    WebhookEndpointList: {
      data: Array<components['schemas']['WebhookEndpoint']>;
      hasMore: boolean;
    };
    /** A webhook endpoint with its signing secret (shown once) */
    WebhookEndpointWithSecret: {
      id: string;
      url: string;
      events?: Array<string>;
      status: 'enabled' | 'disabled';
      disabledReason?: string;
      disabledAt?: string;
      /** Until then the secret before the last rotation signs too */
      previousSecretExpiresAt?: string;
      createdAt: string;
      updatedAt: string;
      /** whsec_…: shown only in this answer; keep it to verify signatures */
      secret: string;
    };
  };
}

export interface operations {
  /** Liveness */
  'GET /healthz': {
    /** 200 */
    response: components['schemas']['JsonDocument'];
  };
  /** Readiness: the database is reachable */
  'GET /readyz': {
    /** 200 */
    response: components['schemas']['JsonDocument'];
  };
  /** The gateway public keys (JWKS): signing keys and encryption keys (use: enc) */
  'GET /.well-known/jwks.json': {
    /** 200 */
    response: components['schemas']['JsonDocument'];
  };
  /** OAuth 2.0 server metadata (RFC 8414) */
  'GET /.well-known/oauth-authorization-server': {
    /** 200 */
    response: components['schemas']['JsonDocument'];
  };
  /** Get an access token (OAuth 2.0 client credentials) */
  'POST /v1.0/auth': {
    body: components['schemas']['TokenRequest'];
    /** 200 */
    response: components['schemas']['TokenResponse'];
  };
  /** The client's registered public keys */
  'GET /v1/clients/me/jwks': {
    /** 200 */
    response: components['schemas']['ClientKeys'];
  };
  /** Replace the client's public keys (JWKS) */
  'PUT /v1/clients/me/jwks': {
    body: components['schemas']['ClientKeysInput'];
    /** 200 */
    response: components['schemas']['ClientKeys'];
  };
  /** List sender accounts */
  'GET /v1/accounts': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
    };
    /** 200 */
    response: components['schemas']['AccountList'];
  };
  /** Register a sender account (takes an Idempotency-Key header) */
  'POST /v1/accounts': {
    body: components['schemas']['AccountInput'];
    /** 201 */
    response: components['schemas']['Account'];
  };
  /** Get a sender account */
  'GET /v1/accounts/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['Account'];
  };
  /** List payments, newest first (single and batch) */
  'GET /v1/payments': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
      status?: 'PROCESSING' | 'SUBMITTED' | 'COMPLETED' | 'FAILED';
      type?: 'ACH' | 'FPS' | 'RTGS' | 'CBFT' | 'MEPS' | 'FAST' | 'PAYNOW' | 'ACT' | 'TT';
      batchId?: string;
      customerReference?: string;
      /** created at or after (RFC 3339) */
      createdFrom?: string;
      /** created before (RFC 3339) */
      createdTo?: string;
    };
    /** 200 */
    response: components['schemas']['PaymentList'];
  };
  /** Create a single payment on any rail */
  'POST /v1/payments': {
    body: components['schemas']['PaymentInput'];
    /** 202 */
    response: components['schemas']['Payment'];
  };
  /** Validate a single payment without creating it (dry run) */
  'POST /v1/payments/validate': {
    body: components['schemas']['PaymentInput'];
    /** 200 */
    response: components['schemas']['DryRunResult'];
  };
  /** Get a payment */
  'GET /v1/payments/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['Payment'];
  };
  /** A payment's status history: every change with its time and cause */
  'GET /v1/payments/{id}/events': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['StatusChangeList'];
  };
  /** Create an HK payment (ACH, FPS, RTGS, CBFT); ACH also takes a bulk */
  'POST /payment/hk/v1.0/{type}': {
    path: {
      /** The HK rail */
      type: 'ach' | 'fps' | 'rtgs' | 'cbft';
    };
    body: components['schemas']['HkPaymentRequest'];
    /** 202 */
    response: components['schemas']['HkPaymentOrBatch'];
  };
  /** Get an HK payment: 200 COMPLETED, 202 PROCESSING or SUBMITTED, 400 FAILED */
  'GET /payment/hk/v1.0/{type}/{paymentId}': {
    path: {
      /** The HK rail */
      type: 'ach' | 'fps' | 'rtgs' | 'cbft';
      paymentId: string;
    };
    /** 200 */
    response: components['schemas']['Payment'];
  };
  /** List batches, newest first */
  'GET /v1/payment-batches': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
    };
    /** 200 */
    response: components['schemas']['PaymentBatchList'];
  };
  /** Create a batch of 1 to 1,000 payments */
  'POST /v1/payment-batches': {
    body: components['schemas']['PaymentBatchInput'];
    /** 200 */
    response: components['schemas']['PaymentBatch'];
  };
  /** Validate a batch without creating it (dry run) */
  'POST /v1/payment-batches/validate': {
    body: components['schemas']['PaymentBatchInput'];
    /** 200 */
    response: components['schemas']['DryRunResult'];
  };
  /** Get a batch with its payments and summary */
  'GET /v1/payment-batches/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['PaymentBatch'];
  };
  /** Approve a batch that waits for approval */
  'POST /v1/payment-batches/{id}/approve': {
    path: {
      id: string;
    };
    body: components['schemas']['ApprovalDecision'];
    /** 200 */
    response: components['schemas']['PaymentBatch'];
  };
  /** Reject a batch that waits for approval */
  'POST /v1/payment-batches/{id}/reject': {
    path: {
      id: string;
    };
    body: components['schemas']['Rejection'];
    /** 200 */
    response: components['schemas']['PaymentBatch'];
  };
  /** Approve a single payment that waits for approval */
  'POST /v1/payments/{id}/approve': {
    path: {
      id: string;
    };
    body: components['schemas']['ApprovalDecision'];
    /** 200 */
    response: components['schemas']['Payment'];
  };
  /** Reject a single payment that waits for approval */
  'POST /v1/payments/{id}/reject': {
    path: {
      id: string;
    };
    body: components['schemas']['Rejection'];
    /** 200 */
    response: components['schemas']['Payment'];
  };
  /** The approvals of the caller's organisation and mode, newest first (status=PENDING: what waits) */
  'GET /v1/approvals': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
      status?: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
    };
    /** 200 */
    response: components['schemas']['ApprovalList'];
  };
  /** List events, newest first */
  'GET /v1/events': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
      type?:
        | 'payment-batches.submitted'
        | 'payment-batches.rejected'
        | 'payments.succeeded'
        | 'payments.failed'
        | 'clients.keys_changed'
        | 'bank-files.overdue'
        | 'payment-batches.approval_required'
        | 'payment-batches.approved'
        | 'payments.approval_required'
        | 'payments.approved';
      objectId?: string;
    };
    /** 200 */
    response: components['schemas']['EventList'];
  };
  /** Get an event */
  'GET /v1/events/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['Event'];
  };
  /** List webhook endpoints, newest first */
  'GET /v1/webhook-endpoints': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
    };
    /** 200 */
    response: components['schemas']['WebhookEndpointList'];
  };
  /** Register a webhook endpoint */
  'POST /v1/webhook-endpoints': {
    body: components['schemas']['WebhookEndpointInput'];
    /** 201 */
    response: components['schemas']['WebhookEndpointWithSecret'];
  };
  /** Get a webhook endpoint */
  'GET /v1/webhook-endpoints/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['WebhookEndpoint'];
  };
  /** Delete a webhook endpoint (its pending deliveries are canceled) */
  'DELETE /v1/webhook-endpoints/{id}': {
    path: {
      id: string;
    };
    /** 204 */
    response: void;
  };
  /** Rotate an endpoint's signing secret */
  'POST /v1/webhook-endpoints/{id}/rotate-secret': {
    path: {
      id: string;
    };
    /** 200 */
    response: components['schemas']['WebhookEndpointWithSecret'];
  };
  /** An endpoint's deliveries, newest first, with every attempt */
  'GET /v1/webhook-endpoints/{id}/deliveries': {
    path: {
      id: string;
    };
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
      status?: 'pending' | 'delivered' | 'failed' | 'canceled';
      eventId?: string;
    };
    /** 200 */
    response: components['schemas']['WebhookDeliveryList'];
  };
  /** Deliver an event again */
  'POST /v1/events/{id}/redeliver': {
    path: {
      id: string;
    };
    body: components['schemas']['RedeliverRequest'];
    /** 202 */
    response: components['schemas']['Redelivery'];
  };
  /** Set a client's (or a sender account's) approval policy */
  'PUT /v1/approval-policy': {
    body: components['schemas']['ApprovalPolicyInput'];
    /** 200 */
    response: components['schemas']['ApprovalPolicy'];
  };
  /** The audit log of the admin user's clients, newest first */
  'GET /v1/audit-log': {
    query: {
      /** Page size, 1–100 */
      limit?: number;
      /** The last id of the previous page */
      startingAfter?: string;
      /** Only this action, e.g. approval.approve */
      action?: string;
      /** Only entries about this object */
      objectId?: string;
    };
    /** 200 */
    response: components['schemas']['AuditEntryList'];
  };
}
