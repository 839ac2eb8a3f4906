import * as jwt from 'jsonwebtoken';
import { ulid } from 'ulid';
import { createAccount, settle, startTestApp, TEST_PASSWORD, TestAccount, TestApp } from '@app/testing';

const SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken accessTokenExpiresAt } }`;
const ME = '{ me { id } }';

describe('sessions and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No job polls: a poll's queries would land in the store calls a test counts (mails are kicked, not polled).
    t = await startTestApp({
      config: {
        JWT_SECRET: SECRET,
        AUTH_RATE_LIMIT_PER_IP: '1000',
        AUTH_RATE_LIMIT_PER_ACCOUNT: '1000',
        JOBS_ENABLED: 'false',
      },
    });
  });
  afterAll(async () => t?.close());

  const logIn = async (a: TestAccount) =>
    (await t.gql.ok(LOG_IN, { input: { email: a.email, password: TEST_PASSWORD } })).logIn;
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  describe('logIn', () => {
    it('answers a wrong password and an unknown e-mail identically', async () => {
      const a = await createAccount(t, 'STUDENT');
      const wrong = await t.gql.request(LOG_IN, { input: { email: a.email, password: 'wrong password!' } });
      const unknown = await t.gql.request(LOG_IN, {
        input: { email: `nobody-${ulid()}@example.test`, password: 'wrong password!' },
      });
      expect(wrong.errors).toEqual(unknown.errors);
      expect(code(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors![0].message).toBe('Invalid e-mail or password');
    });

    it('accepts the e-mail in any case and issues a verifiable access token', async () => {
      const a = await createAccount(t, 'TEACHER');
      const res = await t.gql.ok(LOG_IN, { input: { email: a.email.toUpperCase(), password: TEST_PASSWORD } });
      const claims = jwt.verify(res.logIn.accessToken, SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      expect(claims).toMatchObject({
        sub: a.id,
        iss: 'take-sessions',
        aud: 'take-sessions-api',
        roles: ['TEACHER'],
        ver: 0,
      });
      expect(claims.exp! - claims.iat!).toBe(900);
    });
  });

  describe('access token verification', () => {
    let a: TestAccount;
    let claims: jwt.JwtPayload;
    beforeAll(async () => {
      a = await createAccount(t, 'STUDENT');
      claims = jwt.decode(a.accessToken) as jwt.JwtPayload;
    });
    const body = () => ({ roles: claims.roles, sid: claims.sid, ver: claims.ver });
    const sign = (opts: jwt.SignOptions, secret: jwt.Secret = SECRET) =>
      jwt.sign(body(), secret, {
        subject: a.id,
        issuer: 'take-sessions',
        audience: 'take-sessions-api',
        expiresIn: 300,
        ...opts,
      });

    it('accepts a correctly signed token', async () => {
      expect(await t.gql.as(sign({ algorithm: 'HS256' })).ok(ME)).toEqual({ me: { id: a.id } });
    });

    it.each([
      [
        'alg none',
        () =>
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...body(), sub: a.id, iss: 'take-sessions', aud: 'take-sessions-api', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')}.`,
      ],
      ['another algorithm (HS512)', () => sign({ algorithm: 'HS512' })],
      ['another secret', () => sign({ algorithm: 'HS256' }, 'some-other-secret-that-is-long-enough-to-sign')],
      ['another issuer', () => sign({ algorithm: 'HS256', issuer: 'evil' })],
      ['another audience', () => sign({ algorithm: 'HS256', audience: 'other-api' })],
      [
        'an expired token',
        () =>
          jwt.sign({ ...body(), exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
            subject: a.id,
            issuer: 'take-sessions',
            audience: 'take-sessions-api',
          }),
      ],
      [
        'a tampered payload',
        () => {
          const [h, , s] = sign({ algorithm: 'HS256' }).split('.');
          return `${h}.${Buffer.from(JSON.stringify({ ...body(), roles: ['ADMIN'], sub: a.id })).toString('base64url')}.${s}`;
        },
      ],
    ])('refuses %s', async (_label, token) => {
      const res = await t.gql.as(token()).request(ME);
      expect(code(res)).toBe('UNAUTHENTICATED');
      expect(res.data).toBeNull();
    });

    it('treats an invalid token on a public operation as anonymous', async () => {
      const res = await t.gql.as('not-a-token').request(`query($id: ID!) { user(id: $id) { id email } }`, { id: a.id });
      expect(res.data).toEqual({ user: { id: a.id, email: null } });
    });
  });

  describe('refreshSession', () => {
    it('rotates: the new pair works and the old refresh token is spent', async () => {
      const a = await createAccount(t, 'STUDENT');
      const first = (await t.gql.ok(REFRESH, { t: a.refreshToken })).refreshSession;
      expect(first.refreshToken).not.toBe(a.refreshToken);
      expect(await t.gql.as(first.accessToken).ok(ME)).toEqual({ me: { id: a.id } });
      const second = (await t.gql.ok(REFRESH, { t: first.refreshToken })).refreshSession;
      expect(await t.gql.as(second.accessToken).ok(ME)).toEqual({ me: { id: a.id } });
    });

    it('reuse of a rotated token revokes the whole family but not other logins', async () => {
      const a = await createAccount(t, 'STUDENT');
      const otherDevice = await logIn(a);
      const rotated = (await t.gql.ok(REFRESH, { t: a.refreshToken })).refreshSession;

      const reuse = await t.gql.request(REFRESH, { t: a.refreshToken });
      expect(code(reuse)).toBe('UNAUTHENTICATED');
      expect(reuse.errors![0].message).toMatch(/already used/);

      // The thief's (or victim's) newer token of that family is dead too, and so is its access token.
      expect(code(await t.gql.request(REFRESH, { t: rotated.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql.as(rotated.accessToken).request(ME))).toBe('UNAUTHENTICATED');
      // Another login of the same user is untouched.
      expect(await t.gql.as(otherDevice.accessToken).ok(ME)).toEqual({ me: { id: a.id } });
      expect((await t.gql.ok(REFRESH, { t: otherDevice.refreshToken })).refreshSession.accessToken).toBeTruthy();
    });

    it('of 10 concurrent uses of one refresh token at most one succeeds, and the family is revoked', async () => {
      const a = await createAccount(t, 'STUDENT');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => t.gql.request(REFRESH, { t: a.refreshToken })),
      );
      const ok = results.filter((r) => r.data?.refreshSession);
      expect(ok.length).toBeLessThanOrEqual(1);
      expect(results.filter((r) => code(r) === 'UNAUTHENTICATED')).toHaveLength(10 - ok.length);
      for (const winner of ok)
        expect(code(await t.gql.request(REFRESH, { t: winner.data!.refreshSession.refreshToken }))).toBe(
          'UNAUTHENTICATED',
        );
    });

    it.each([
      ['garbage', 'nope'],
      ['a well-formed token that never existed', `rt1.${ulid()}.${ulid()}.${'A'.repeat(43)}`],
    ])('refuses %s', async (_label, token) => {
      expect(code(await t.gql.request(REFRESH, { t: token }))).toBe('UNAUTHENTICATED');
    });

    it('refuses the right session with the wrong secret', async () => {
      const a = await createAccount(t, 'STUDENT');
      const forged = a.refreshToken.replace(/\.[^.]+$/, `.${'B'.repeat(43)}`);
      expect(code(await t.gql.request(REFRESH, { t: forged }))).toBe('UNAUTHENTICATED');
      expect((await t.gql.ok(REFRESH, { t: a.refreshToken })).refreshSession).toBeTruthy();
    });
  });

  describe('logOut, logOutEverywhere, changePassword', () => {
    it('logOut ends this login only', async () => {
      const a = await createAccount(t, 'STUDENT');
      const other = await logIn(a);
      expect(await a.gql.ok('mutation { logOut }')).toEqual({ logOut: true });
      expect(code(await a.gql.request(ME))).toBe('UNAUTHENTICATED');
      expect(code(await t.gql.request(REFRESH, { t: a.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(await t.gql.as(other.accessToken).ok(ME)).toEqual({ me: { id: a.id } });
    });

    it('logOutEverywhere revokes every access and refresh token', async () => {
      const a = await createAccount(t, 'STUDENT');
      const devices = [await logIn(a), await logIn(a)];
      expect(await a.gql.ok('mutation { logOutEverywhere }')).toEqual({ logOutEverywhere: true });
      for (const d of [...devices, a]) {
        expect(code(await t.gql.as(d.accessToken).request(ME))).toBe('UNAUTHENTICATED');
        expect(code(await t.gql.request(REFRESH, { t: d.refreshToken }))).toBe('UNAUTHENTICATED');
      }
      expect((await logIn(a)).accessToken).toBeTruthy();
    });

    it('changePassword checks the current password, revokes every session and returns a new one', async () => {
      const a = await createAccount(t, 'STUDENT');
      const other = await logIn(a);
      const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken refreshToken } }`;

      const wrong = await a.gql.request(CHANGE, {
        input: { currentPassword: 'not my password', newPassword: 'a brand new password' },
      });
      expect(code(wrong)).toBe('BAD_USER_INPUT');
      expect(wrong.errors![0].extensions!.fields).toEqual([
        { field: 'input.currentPassword', message: 'currentPassword is not correct' },
      ]);
      const short = await a.gql.request(CHANGE, { input: { currentPassword: TEST_PASSWORD, newPassword: 'short' } });
      expect(short.errors![0].extensions!.fields[0].field).toBe('input.newPassword');

      const changed = (
        await a.gql.ok(CHANGE, { input: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' } })
      ).changePassword;
      expect(await t.gql.as(changed.accessToken).ok(ME)).toEqual({ me: { id: a.id } });
      for (const old of [a, other]) {
        expect(code(await t.gql.as(old.accessToken).request(ME))).toBe('UNAUTHENTICATED');
        expect(code(await t.gql.request(REFRESH, { t: old.refreshToken }))).toBe('UNAUTHENTICATED');
      }
      expect(code(await t.gql.request(LOG_IN, { input: { email: a.email, password: TEST_PASSWORD } }))).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        (await t.gql.ok(LOG_IN, { input: { email: a.email, password: 'a brand new password' } })).logIn.user.id,
      ).toBe(a.id);
    });
  });

  describe('revocation racing a refresh', () => {
    it.each([
      ['logOutEverywhere', 'mutation { logOutEverywhere }'],
      ['logOut', 'mutation { logOut }'],
    ])('a refresh racing %s never leaves a live login behind', async (_name, revoke) => {
      for (let round = 0; round < 6; round++) {
        const a = await createAccount(t, 'STUDENT');
        // Let the refresh start a little before, together with, or after the revocation.
        const refreshing = new Promise((r) => setTimeout(r, round % 3)).then(() =>
          t.gql.request(REFRESH, { t: a.refreshToken }),
        );
        const [refreshed] = await Promise.all([refreshing, a.gql.request(revoke)]);
        const issued = refreshed.data?.refreshSession;
        if (issued) {
          expect(code(await t.gql.request(REFRESH, { t: issued.refreshToken }))).toBe('UNAUTHENTICATED');
          expect(code(await t.gql.as(issued.accessToken).request(ME))).toBe('UNAUTHENTICATED');
        }
        expect(code(await t.gql.request(REFRESH, { t: a.refreshToken }))).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('profile and field visibility', () => {
    it('updateMe changes the display name and canonical time zone; bad values name the field', async () => {
      const a = await createAccount(t, 'STUDENT');
      const UPDATE = `mutation($input: UpdateMeInput!) { updateMe(input: $input) { displayName timeZone } }`;
      expect(
        (await a.gql.ok(UPDATE, { input: { displayName: '  Clara Schumann ', timeZone: 'europe/berlin' } })).updateMe,
      ).toEqual({
        displayName: 'Clara Schumann',
        timeZone: 'Europe/Berlin',
      });
      // A value the TimeZone type refuses is rejected before the rules run, naming the field.
      const badZone = await a.gql.request(UPDATE, { input: { timeZone: 'Europe/Atlantis', displayName: 'Ok' } });
      expect(badZone.errors![0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'input.timeZone', message: 'timeZone must be an IANA time zone such as Europe/Berlin' }],
      });
      const badName = await a.gql.request(UPDATE, { input: { displayName: '' } });
      expect(badName.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual([
        'input.displayName',
      ]);
      const empty = await a.gql.request(UPDATE, { input: {} });
      expect(code(empty)).toBe('BAD_USER_INPUT');
    });

    it('shows private fields to the user and admins only', async () => {
      const [owner, stranger, admin] = [
        await createAccount(t, 'TEACHER'),
        await createAccount(t, 'STUDENT'),
        await createAccount(t, 'ADMIN'),
      ];
      const USER = `query($id: ID!) { user(id: $id) { id displayName email timeZone status updatedAt } }`;
      const seenBy = async (c: { request: TestApp['gql']['request'] } | TestApp['gql']) =>
        (await c.request(USER, { id: owner.id })).data!.user;
      expect(await seenBy(t.gql)).toMatchObject({
        id: owner.id,
        email: null,
        timeZone: null,
        status: null,
        updatedAt: null,
      });
      expect(await seenBy(stranger.gql)).toMatchObject({ email: null, timeZone: null });
      expect(await seenBy(owner.gql)).toMatchObject({
        email: owner.email,
        timeZone: 'Europe/Berlin',
        status: 'ACTIVE',
      });
      expect(await seenBy(admin.gql)).toMatchObject({ email: owner.email, status: 'ACTIVE' });
      const missing = await t.gql.request(USER, { id: ulid() });
      expect(missing.errors).toBeUndefined();
      expect(missing.data).toEqual({ user: null });
    });

    it('reads users through the request loader: one BatchGetItem for many users and the viewer', async () => {
      const viewer = await createAccount(t, 'STUDENT');
      const others = [
        await createAccount(t, 'TEACHER'),
        await createAccount(t, 'TEACHER'),
        await createAccount(t, 'STUDENT'),
      ];
      const fields = others.map((o, i) => `u${i}: user(id: "${o.id}") { id displayName }`).join(' ');
      // prom-client hands out live objects: copy the numbers.
      const calls = async () =>
        Object.fromEntries(
          (await t.metrics.storeCalls.get()).values
            .filter((v) => v.labels.store === 'dynamodb')
            .map((v) => [v.labels.operation, v.value]),
        );
      await settle(t); // the sign-ups' verification mails go out off the request path
      const before = await calls();
      const res = await viewer.gql.ok(`{ me { id } ${fields} }`);
      expect(Object.keys(res)).toHaveLength(4);
      const after = await calls();
      const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
      // One batch for the guard (viewer + session), one for the four users; no single-item reads.
      expect(delta('BatchGetItem')).toBe(2);
      expect(delta('GetItem')).toBe(0);
      expect(delta('Query')).toBe(0);
    });
  });
});
