import { ulid } from 'ulid';
import { UsersService } from '../../../src/users/users.service';
import { Role } from '../../../src/users/user.types';
import type { TestApp } from './test-app';
import type { GraphQLClient } from './graphql-client';
import { tokenFrom, waitForMails, withTemplate } from './mailbox';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestAccount {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  /** A GraphQL client that sends this account's access token. */
  gql: GraphQLClient;
}

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email roles displayName timeZone status } }
}`;

/**
 * Signs up through the public API. ADMIN is granted, and the e-mail address confirmed, the way an
 * operator would, through the service (unconfirmed accounts cannot book); pass
 * `{ verified: false }` for an account that has not followed its verification mail
 * (test/notifications-account.e2e-spec.ts follows the real one).
 */
export async function createAccount(
  t: TestApp,
  role: 'STUDENT' | 'TEACHER' | 'ADMIN',
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  options: { verified?: boolean } = {},
): Promise<TestAccount> {
  const email = `${role.toLowerCase()}-${ulid().toLowerCase()}@example.test`;
  const res = await t.gql.request<{ signUp: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    SIGN_UP,
    {
      input: {
        email,
        password: TEST_PASSWORD,
        displayName: `${role} ${email.slice(0, 12)}`,
        timeZone: 'Europe/Berlin',
        role: role === 'ADMIN' ? 'STUDENT' : role,
        ...overrides,
      },
    },
    headers,
  );
  if (!res.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(res.errors)}`);
  const data = res.data;
  const { accessToken, refreshToken, user } = data.signUp;
  const changes = {
    ...(role === 'ADMIN' ? { roles: [Role.ADMIN] } : {}),
    ...(options.verified === false ? {} : { emailVerified: true }),
  };
  if (!t.app) {
    // A server in another process (no app to reach into): confirm the address as a user does.
    if (role === 'ADMIN') throw new Error('an ADMIN account needs a TestApp of this process');
    if (options.verified !== false) await verifyThroughMail(t, (overrides.email as string) ?? email);
  } else if (Object.keys(changes).length) await t.app.get(UsersService).update(user.id, changes);
  return {
    id: user.id,
    email: (overrides.email as string) ?? email,
    accessToken,
    refreshToken,
    gql: t.gql.as(accessToken),
  };
}

/** Follows the verification mail the server sent (through the jest run's SMTP catcher). */
async function verifyThroughMail(t: TestApp, address: string): Promise<void> {
  const [mail] = await waitForMails(address, withTemplate('verify-email'));
  const res = await t.gql.request<{ verifyEmail: boolean }>(
    'mutation V($token: String!) { verifyEmail(token: $token) }',
    { token: tokenFrom(mail, 'verify-email') },
  );
  if (!res.data?.verifyEmail) throw new Error(`verifyEmail failed: ${JSON.stringify(res.errors)}`);
}
