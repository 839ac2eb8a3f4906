import { ConflictError, DomainError, ErrorCode } from '@app/common';

/** The sender already stored a message under this client message id (the repository's signal). */
export class ClientMessageIdTaken extends Error {
  constructor() {
    super('client message id already stored');
  }
}

/** Another message holds this position (never expected: positions come from one atomic counter). */
export class PositionTaken extends Error {
  constructor() {
    super('message position already stored');
  }
}

/** Not yours to see or do, naming the argument that points at it (`extensions.field`). */
export class ChatForbiddenError extends DomainError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message: string, field: string, reason: 'NOT_A_PARTICIPANT' | 'NOT_ALLOWED' | 'BLOCKED' | 'NOT_AUTHOR') {
    super(message, { field, reason });
  }
}

/** Nothing by that id, naming the argument (`extensions.field`). */
export class ChatNotFoundError extends DomainError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(entity: 'Conversation' | 'Message' | 'User' | 'Lesson', id: string, field: string) {
    super(`${entity} ${id} was not found`, { entity, field });
  }
}

export const editWindowClosed = (field: string, action: 'edited' | 'deleted') =>
  new ConflictError(`A message can be ${action} only within 15 minutes of sending it`, {
    field,
    reason: 'EDIT_WINDOW_CLOSED',
  });

export const alreadyDeleted = (field: string) =>
  new ConflictError('The message was deleted', { field, reason: 'DELETED' });

export const automaticMessage = (field: string) =>
  new ConflictError('A message the server posted (a lesson card) cannot be changed', { field, reason: 'AUTOMATIC' });

export const clientMessageIdReused = () =>
  new ConflictError('This clientMessageId was already used for a different message', {
    field: 'input.clientMessageId',
  });
