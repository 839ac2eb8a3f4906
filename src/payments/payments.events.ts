/** The payments module's domain events (declaration merging into the typed map). */
declare module '../events/domain-events' {
  interface DomainEventMap {
    /** Unused credits of a lot expire soon (CREDIT_EXPIRY_NOTICE_DAYS ahead); sent once per lot. */
    'credits.expiring': { lotId: string; studentId: string; teacherId: string; credits: number; expiresAt: string };
  }
}
export {};
