import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { AccessTokenService } from './access-token.service';
import { AccountEmailResolver } from './account-email.resolver';
import { AccountEmailService } from './account-email.service';
import { AccountTokensRepository } from './account-tokens.repository';
import { AccountTokensService } from './account-tokens.service';
import { PasswordResetService } from './password-reset.service';
import { AccountAdminResolver } from './account-admin.resolver';
import { AccountDeletionService } from './account-deletion.service';
import { AccountAdminService } from './account-admin.service';
import { AccountStateService } from './account-state.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { AuthGuard } from './guards/auth.guard';
import { PasswordService } from './password.service';
import { SessionsRepository } from './sessions.repository';
import { SocketSessionsService } from './socket-sessions.service';

@Module({
  imports: [UsersModule],
  providers: [
    AccessTokenService,
    AccountEmailResolver,
    AccountEmailService,
    AccountTokensRepository,
    AccountTokensService,
    PasswordResetService,
    AccountAdminService,
    AccountDeletionService,
    AccountAdminResolver,
    AccountStateService,
    AuthResolver,
    AuthService,
    PasswordService,
    SessionsRepository,
    SocketSessionsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AccountTokensService, PasswordService, SocketSessionsService],
})
export class AuthModule {}
