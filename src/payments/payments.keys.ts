import type { ItemKey } from '@app/dynamo';

/** Key layout of the payments items in the single table; only the payments repositories use these. */

/** An account's balance, and its immutable entries by time in the same partition. */
export const accountPartition = (account: string) => `LEDGER#${account}`;
export const balanceKey = (account: string): ItemKey => ({ PK: accountPartition(account), SK: 'BALANCE' });
export const entrySortKey = (at: string, postingId: string) => `ENTRY#${at}#${postingId}`;
/** Every account (GSI1), for audits; an owner's accounts (GSI2), for their reports. */
export const ALL_ACCOUNTS = 'LEDGER#ACCOUNTS';
export const ownerAccounts = (ownerId: string) => `LEDGER#OWNER#${ownerId}`;
/** The posting itself (its legs), and the postings of one payment/lesson/lot by time (GSI1). */
export const postingKey = (id: string): ItemKey => ({ PK: `POSTING#${id}`, SK: 'POSTING' });
export const postingsOf = (ref: string) => `POSTINGS#${ref}`;

/** A payment: a lesson's (id `L-<lessonId>`) or a package purchase's; by payer (GSI1) and payee (GSI2). */
export const paymentKey = (id: string): ItemKey => ({ PK: `PAYMENT#${id}`, SK: 'PAYMENT' });
export const payerPartition = (studentId: string) => `PAYER#${studentId}`;
export const payeePartition = (teacherId: string) => `PAYEE#${teacherId}`;
/** Provider object id → payment id, so webhooks find the payment. */
export const providerRefKey = (providerId: string): ItemKey => ({ PK: `PROVIDERREF#${providerId}`, SK: 'REF' });
/** A webhook event already applied (kept 30 days). */
export const webhookEventKey = (eventId: string): ItemKey => ({ PK: `WEBHOOK#${eventId}`, SK: 'WEBHOOK' });
/** A user's customer at the provider. */
export const customerKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'PAYCUSTOMER' });
/** A refund asked for by an admin. */
export const refundKey = (id: string): ItemKey => ({ PK: `REFUND#${id}`, SK: 'REFUND' });

/** A package by id; a teacher's packages through GSI1. */
export const packageKey = (id: string): ItemKey => ({ PK: `PACKAGE#${id}`, SK: 'PACKAGE' });
export const packagesPartition = (teacherId: string) => `PACKAGES#${teacherId}`;

/** A lot of credits (one purchase); by owner (GSI1, by expiry) and in the expiry sweep (GSI2). */
export const lotKey = (id: string): ItemKey => ({ PK: `CREDITLOT#${id}`, SK: 'LOT' });
export const lotsOfStudent = (studentId: string) => `CREDITLOTS#${studentId}`;
export const LOT_EXPIRY_PARTITION = 'CREDITLOTS#EXPIRY';
