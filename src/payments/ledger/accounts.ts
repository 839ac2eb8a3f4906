import { Account, CREDIT_UNIT } from './ledger.types';

/**
 * The chart of accounts. Money accounts are per currency; credit accounts are per lot (one
 * purchase of a package), in CREDIT units.
 */
export const Accounts = {
  /** Money captured at the payment provider for us (asset). */
  clearing: (currency: string): Account => ({ id: `clearing:${currency}`, unit: currency, normal: 'DEBIT' }),
  /** What a student owes for lessons charged but not yet captured (asset). */
  receivable: (studentId: string, currency: string): Account => ({
    id: `receivable:${studentId}:${currency}`,
    unit: currency,
    normal: 'DEBIT',
    ownerId: studentId,
  }),
  /** Money paid for a package whose credits are not yet used (owed to the student as lessons). */
  prepaid: (lotId: string, studentId: string, currency: string): Account => ({
    id: `prepaid:${lotId}`,
    unit: currency,
    normal: 'CREDIT',
    ownerId: studentId,
  }),
  /** What the platform owes a teacher (bank payouts are out of scope). */
  earnings: (teacherId: string, currency: string): Account => ({
    id: `earnings:${teacherId}:${currency}`,
    unit: currency,
    normal: 'CREDIT',
    ownerId: teacherId,
  }),
  /** The platform's commission (revenue). */
  fees: (currency: string): Account => ({ id: `fees:${currency}`, unit: currency, normal: 'CREDIT' }),
  /** Refunds promised to a student and not yet sent back through the provider. */
  refundsDue: (studentId: string, currency: string): Account => ({
    id: `refunds-due:${studentId}:${currency}`,
    unit: currency,
    normal: 'CREDIT',
    ownerId: studentId,
  }),
  /** The credits of a lot: issued (the counterpart), and where each one is. */
  creditsIssued: (lotId: string, studentId: string): Account => credit(`credits-issued:${lotId}`, 'DEBIT', studentId),
  creditsAvailable: (lotId: string, studentId: string): Account =>
    credit(`credits-available:${lotId}`, 'CREDIT', studentId),
  creditsReserved: (lotId: string, studentId: string): Account =>
    credit(`credits-reserved:${lotId}`, 'CREDIT', studentId),
  creditsUsed: (lotId: string, studentId: string): Account => credit(`credits-used:${lotId}`, 'CREDIT', studentId),
  creditsExpired: (lotId: string, studentId: string): Account =>
    credit(`credits-expired:${lotId}`, 'CREDIT', studentId),
  creditsRefunded: (lotId: string, studentId: string): Account =>
    credit(`credits-refunded:${lotId}`, 'CREDIT', studentId),
};

function credit(id: string, normal: Account['normal'], ownerId: string): Account {
  return { id, unit: CREDIT_UNIT, normal, ownerId };
}
