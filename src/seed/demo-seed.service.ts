import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ulid } from 'ulid';
import { PasswordService } from '../auth/password.service';
import { ResourceBootstrapService } from '../bootstrap/resource-bootstrap.service';
import { AppConfig } from '../config/app-config';
import { normaliseEmail, User, UserStatus } from '../users/user.types';
import { EmailTakenError, UsersRepository } from '../users/users.repository';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount } from './demo-accounts';

export { demoLoginLines } from './demo-accounts';

export interface SeedOutcome {
  created: number;
  alreadyPresent: number;
}

/**
 * With SEED_DEMO_DATA=true, creates the demo accounts once the table exists. Idempotent: an
 * account whose e-mail is taken is left as it is (also when two servers seed at the same time,
 * since the e-mail item is written in the same transaction as the user).
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly resources: ResourceBootstrapService,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO_DATA) return;
    await this.seed();
  }

  async seed(): Promise<SeedOutcome> {
    await this.resources.ready;
    const outcome: SeedOutcome = { created: 0, alreadyPresent: 0 };
    for (const account of DEMO_ACCOUNTS) {
      if (await this.createAccount(account)) outcome.created++;
      else outcome.alreadyPresent++;
    }
    this.logger.log(`demo data: ${outcome.created} account(s) created, ${outcome.alreadyPresent} already present`);
    return outcome;
  }

  /** false when an account with that e-mail exists already. */
  private async createAccount(account: DemoAccount): Promise<boolean> {
    const email = normaliseEmail(account.email);
    // Skips the (deliberately slow) password hash on every restart against a persistent table.
    if (await this.users.findCredentialsByEmail(email)) return false;
    const now = new Date().toISOString();
    const user: User = {
      id: ulid(),
      email,
      displayName: account.displayName,
      // Written with its final roles in the same transaction, so a crash can never leave the
      // demo admin behind without ADMIN (the seed skips accounts that exist).
      roles: [account.role],
      timeZone: account.timeZone,
      status: UserStatus.ACTIVE,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.users.create(user, await this.passwords.hash(DEMO_PASSWORD));
      return true;
    } catch (err) {
      if (err instanceof EmailTakenError) return false;
      throw err;
    }
  }
}
