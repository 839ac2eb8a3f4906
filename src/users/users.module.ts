import { Module } from '@nestjs/common';
import { AccountEventsService } from './account-events.service';
import { UsersRepository } from './users.repository';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  providers: [UsersRepository, UsersService, UsersResolver, AccountEventsService],
  exports: [UsersService, AccountEventsService],
})
export class UsersModule {}
