import type { ItemKey } from '@app/dynamo';

/** One outgoing mail: its state from QUEUED to SENT or FAILED, unique per message id. */
export const mailMessageKey = (messageId: string): ItemKey => ({ PK: `MAIL#${messageId}`, SK: 'MAIL' });
