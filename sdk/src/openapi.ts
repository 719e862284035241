// Generated from payrail's OpenAPI document by sdk/scripts/generate-types.ts: do not edit.
// Run `node --import tsx sdk/scripts/generate-types.ts` after an API change (a test checks it).
/* eslint-disable */

export interface components {
  schemas: {};
}

export interface operations {
  /** Liveness */
  'GET /healthz': {
    /** 200 */
    response: void;
  };
  /** Readiness: the database is reachable */
  'GET /readyz': {
    /** 200 */
    response: void;
  };
  /** The gateway public keys (JWKS): signing keys and encryption keys (use: enc) */
  'GET /.well-known/jwks.json': {
    /** 200 */
    response: void;
  };
  /** OAuth 2.0 server metadata (RFC 8414) */
  'GET /.well-known/oauth-authorization-server': {
    /** 200 */
    response: void;
  };
  /** Get an access token (OAuth 2.0 client credentials) */
  'POST /v1.0/auth': {
    body: {
      grant_type: 'client_credentials';
      /** Space-separated scopes; omitted = every scope of the client */
      scope?: string;
      client_id?: string;
      client_secret?: string;
      client_assertion_type?: string;
      client_assertion?: string;
    };
    /** 200 */
    response: {
      access_token: string;
      token_type: 'Bearer';
      expires_in: number;
      scope: string;
    };
  };
  /** The client's registered public keys */
  'GET /v1/clients/me/jwks': {
    /** 200 */
    response: {
      keys: Array<{
        [key: string]: unknown;
      }>;
    };
  };
  /** Replace the client's public keys (JWKS) */
  'PUT /v1/clients/me/jwks': {
    body: {
      keys: Array<{
        kty?: string;
        kid?: string;
        use?: string;
        alg?: string;
        [key: string]: unknown;
      }>;
    };
    /** 200 */
    response: {
      keys: Array<{
        [key: string]: unknown;
      }>;
    };
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
    response: {
      data: Array<{
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
      }>;
      hasMore: boolean;
    };
  };
  /** Register a sender account (takes an Idempotency-Key header) */
  'POST /v1/accounts': {
    body: {
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
    /** 201 */
    response: {
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
  };
  /** Get a sender account */
  'GET /v1/accounts/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
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
    response: {
      data: Array<{
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
        receiver: {
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
        batchId?: string;
        bankChargeAmount?: number;
        bankChargeCurrency?: string;
        failure?: {
          stage: string;
          code: string;
          message: string;
        };
        /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
        approval?: {
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
        createdAt: string;
        updatedAt: string;
      }>;
      hasMore: boolean;
    };
  };
  /** Create a single payment on any rail */
  'POST /v1/payments': {
    body: {
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
      receiver: {
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
    };
    /** 202 */
    response: {
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
      receiver: {
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
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Get a payment */
  'GET /v1/payments/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
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
      receiver: {
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
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** A payment's status history: every change with its time and cause */
  'GET /v1/payments/{id}/events': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
      data: Array<{
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
      }>;
      hasMore: boolean;
    };
  };
  /** Create an HK payment (ACH, FPS, RTGS, CBFT); ACH also takes a bulk */
  'POST /payment/hk/v1.0/{type}': {
    path: {
      /** The HK rail */
      type: 'ach' | 'fps' | 'rtgs' | 'cbft';
    };
    body:
      | {
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
          receiver: {
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
        }
      | {
          senderAccountId: string;
          senderAccountCurrency?: string;
          currency: string;
          /** defaults to today in Hong Kong */
          paymentDate?: string;
          /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd; the purpose of every payment that gives none of its own */
          purpose?: string;
          payments: Array<{
            /** Minor units of the currency (20000 SGD = S$200.00) */
            amount: number;
            /** A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent */
            customerReference?: string;
            paymentDetails?: string;
            /** CBFT, MEPS, TT only */
            bankChargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED';
            /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd */
            purpose?: string;
            receiver: {
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
          }>;
        };
    /** 202 */
    response:
      | {
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
          receiver: {
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
          batchId?: string;
          bankChargeAmount?: number;
          bankChargeCurrency?: string;
          failure?: {
            stage: string;
            code: string;
            message: string;
          };
          /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
          approval?: {
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
          createdAt: string;
          updatedAt: string;
        }
      | {
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
          /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
          approval?: {
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
          createdAt: string;
          updatedAt: string;
        };
  };
  /** Get an HK payment: 200 COMPLETED, 202 PROCESSING or SUBMITTED, 400 FAILED */
  'GET /payment/hk/v1.0/{type}/{paymentId}': {
    path: {
      /** The HK rail */
      type: 'ach' | 'fps' | 'rtgs' | 'cbft';
      paymentId: string;
    };
    /** 200 */
    response: {
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
      receiver: {
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
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
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
    response: {
      data: Array<{
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
        /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
        approval?: {
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
        createdAt: string;
        updatedAt: string;
      }>;
      hasMore: boolean;
    };
  };
  /** Create a batch of 1 to 1,000 payments */
  'POST /v1/payment-batches': {
    body: {
      type: 'ACH' | 'FPS' | 'RTGS' | 'CBFT' | 'MEPS' | 'FAST' | 'PAYNOW' | 'ACT' | 'TT';
      /** YYYY-MM-DD, shared by every payment */
      paymentDate: string;
      senderAccountId: string;
      senderAccountCurrency?: string;
      currency: string;
      /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd; the purpose of every payment that gives none of its own */
      purpose?: string;
      /** 1 to 1,000 payments */
      payments: Array<{
        /** Minor units of the currency (20000 SGD = S$200.00) */
        amount: number;
        /** A-Z a-z 0-9 - _ / . ; at most 16 on CBFT and TT; generated when absent */
        customerReference?: string;
        paymentDetails?: string;
        /** CBFT, MEPS, TT only */
        bankChargeBearer?: 'SENDER' | 'RECEIVER' | 'SHARED';
        /** ISO 20022 category purpose (ExternalCategoryPurpose1Code), e.g. SALA payroll, SUPP supplier, TRAD, INTC; written as PmtTpInf/CtgyPurp/Cd */
        purpose?: string;
        receiver: {
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
      }>;
    };
    /** 200 */
    response: {
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
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Get a batch with its payments and summary */
  'GET /v1/payment-batches/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
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
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Approve a batch that waits for approval */
  'POST /v1/payment-batches/{id}/approve': {
    path: {
      id: string;
    };
    body: {
      /** A note kept with the approval. At most 500 characters, one line, no control characters */
      reason?: string;
    };
    /** 200 */
    response: {
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
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Reject a batch that waits for approval */
  'POST /v1/payment-batches/{id}/reject': {
    path: {
      id: string;
    };
    body: {
      /** Why it is rejected; becomes the payments' failure message. At most 500 characters, one line, no control characters */
      reason: string;
    };
    /** 200 */
    response: {
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
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Approve a single payment that waits for approval */
  'POST /v1/payments/{id}/approve': {
    path: {
      id: string;
    };
    body: {
      /** A note kept with the approval. At most 500 characters, one line, no control characters */
      reason?: string;
    };
    /** 200 */
    response: {
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
      receiver: {
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
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
  };
  /** Reject a single payment that waits for approval */
  'POST /v1/payments/{id}/reject': {
    path: {
      id: string;
    };
    body: {
      /** Why it is rejected; becomes the payments' failure message. At most 500 characters, one line, no control characters */
      reason: string;
    };
    /** 200 */
    response: {
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
      receiver: {
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
      batchId?: string;
      bankChargeAmount?: number;
      bankChargeCurrency?: string;
      failure?: {
        stage: string;
        code: string;
        message: string;
      };
      /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
      approval?: {
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
      createdAt: string;
      updatedAt: string;
    };
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
    response: {
      data: Array<{
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
        paymentBatch?: {
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
          /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
          approval?: {
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
          createdAt: string;
          updatedAt: string;
        };
        /** A payment (SPEC §3) */
        payment?: {
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
          receiver: {
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
          batchId?: string;
          bankChargeAmount?: number;
          bankChargeCurrency?: string;
          failure?: {
            stage: string;
            code: string;
            message: string;
          };
          /** Maker-checker approval: nothing reaches the bank before it is APPROVED */
          approval?: {
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
          createdAt: string;
          updatedAt: string;
        };
      }>;
      hasMore: boolean;
    };
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
    response: {
      data: Array<{
        id: string;
        type: string;
        createdAt: string;
        /** 1, 2, 3… per payment or batch: the order of events about one object */
        sequence: number;
        /** The batch or payment object at that moment */
        data: unknown;
      }>;
      hasMore: boolean;
    };
  };
  /** Get an event */
  'GET /v1/events/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
      id: string;
      type: string;
      createdAt: string;
      /** 1, 2, 3… per payment or batch: the order of events about one object */
      sequence: number;
      /** The batch or payment object at that moment */
      data: unknown;
    };
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
    response: {
      data: Array<{
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
      }>;
      hasMore: boolean;
    };
  };
  /** Register a webhook endpoint */
  'POST /v1/webhook-endpoints': {
    body: {
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
    /** 201 */
    response: {
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
  /** Get a webhook endpoint */
  'GET /v1/webhook-endpoints/{id}': {
    path: {
      id: string;
    };
    /** 200 */
    response: {
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
    response: {
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
    response: {
      data: Array<{
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
        attempts: Array<{
          attemptedAt: string;
          /** The receiver's HTTP status */
          statusCode?: number;
          /** Why there was no 2xx (timeout, connection refused, HTTP 500…) */
          error?: string;
          durationMs: number;
        }>;
        createdAt: string;
        updatedAt: string;
      }>;
      hasMore: boolean;
    };
  };
  /** Deliver an event again */
  'POST /v1/events/{id}/redeliver': {
    path: {
      id: string;
    };
    body: {
      /** Only this endpoint; absent = every enabled endpoint subscribed to the event type */
      endpointId?: string;
    };
    /** 202 */
    response: {
      eventId: string;
      deliveries: Array<{
        id: string;
        endpointId: string;
        status: 'pending' | 'delivered' | 'failed' | 'canceled';
        nextAttemptAt: string;
      }>;
    };
  };
}
