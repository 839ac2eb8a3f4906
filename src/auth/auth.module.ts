import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '../users/users.module';
import { AccessTokenService } from './access-token.service';
import { AccountAdminResolver } from './account-admin.resolver';
import { AccountDeletionService } from './account-deletion.service';
import { AccountAdminService } from './account-admin.service';
import { AccountStateService } from './account-state.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { AuthGuard } from './guards/auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { PasswordService } from './password.service';
import { SessionsRepository } from './sessions.repository';
import { SocketSessionsService } from './socket-sessions.service';

@Module({
  imports: [UsersModule, PassportModule.register({ session: false })],
  providers: [
    AccessTokenService,
    AccountAdminService,
    AccountDeletionService,
    AccountAdminResolver,
    AccountStateService,
    AuthResolver,
    AuthService,
    JwtStrategy,
    PasswordService,
    SessionsRepository,
    SocketSessionsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, PasswordService, SocketSessionsService],
})
export class AuthModule {}
