import { Injectable } from '@nestjs/common';
import { OutboxConsumers } from '../events/outbox-consumers';
import { LoaderFactory } from '../graphql/request-loaders';
import { MessagesService } from './messages.service';

/**
 * A lesson request opens (or finds) the conversation of its teacher and student and posts a
 * lesson card there, on the student's behalf: the lesson knows its conversation, the two can talk
 * about it, and each sees the other's presence. Durable (outbox) and idempotent.
 */
@Injectable()
export class LessonCardsConsumer {
  constructor(consumers: OutboxConsumers, messages: MessagesService, loaders: LoaderFactory) {
    consumers.register('chat.lesson-cards', ['lesson.requested'], async ({ payload }) => {
      await messages.postLessonCard(loaders.create(), payload);
    });
  }
}
