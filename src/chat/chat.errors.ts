import { ConflictError, ForbiddenError, NotFoundError } from '@app/common';

/** The sender already stored a message under this client message id (the repository's signal). */
export class ClientMessageIdTaken extends Error {
  constructor() {
    super('client message id already stored');
  }
}

/** A message could not be placed: other messages kept taking the positions it tried (MessagesRepository.place). */
export class PositionTaken extends Error {
  constructor() {
    super('message position already stored');
  }
}

/** Not yours to see or do, naming the argument that points at it (`extensions.field`). */
export class ChatForbiddenError extends ForbiddenError {
  constructor(message: string, field: string, reason: 'NOT_A_PARTICIPANT' | 'NOT_ALLOWED' | 'BLOCKED' | 'NOT_AUTHOR') {
    super(message, { field, reason });
  }
}

/** Nothing by that id, naming the argument (`extensions.field`). */
export class ChatNotFoundError extends NotFoundError {
  constructor(entity: 'Conversation' | 'Message' | 'User' | 'Lesson', id: string, field: string) {
    super(entity, id, field);
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
    reason: 'CLIENT_MESSAGE_ID_REUSED',
    field: 'input.clientMessageId',
  });
