import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutboxConsumers } from '../events/outbox-consumers';
import { TeachersService } from './teachers.service';

/**
 * The profile follows its account: a rename shows on the public page and in search; a suspension
 * takes the teacher out of search and bookings until reinstated; a deleted account's profile
 * leaves them for good. Durable consumers (the outbox
 * delivers each event at least once); both re-read the account, so any delivery order converges.
 */
@Injectable()
export class TeacherAccountConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly teachers: TeachersService,
  ) {}

  onModuleInit(): void {
    this.consumers.register('teachers.display-name', ['user.renamed'], (event) =>
      this.teachers.syncDisplayName(event.payload.userId),
    );
    this.consumers.register(
      'teachers.account-status',
      ['account.suspended', 'account.reinstated', 'account.deleted'],
      (event) => this.teachers.syncAccountStatus(event.payload.userId),
    );
  }
}
