import type { ItemKey } from '@app/dynamo';

/** Key layout of identity items in the single table (see ARCHITECTURE.md). */
export const userKey = (id: string): ItemKey => ({ PK: `USER#${id}`, SK: 'USER' });
export const emailKey = (normalised: string): ItemKey => ({ PK: `EMAIL#${normalised}`, SK: 'EMAIL' });
/** All users on GSI1, newest first by creation, for the admin list. */
export const USERS_INDEX_PARTITION = 'USERS';
export const usersIndexSortKey = (createdAt: string, id: string) => `${createdAt}#${id}`;
