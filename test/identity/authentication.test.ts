import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { errorCodes } from '../testkit/client.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';
import { signUpUser, strongPassword, unique } from '../testkit/seed.ts';

const fixture = useTestGraph();

const signUp = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id email displayName } }
}`;
const logIn = `mutation ($input: LogInInput!) {
  logIn(input: $input) { accessToken refreshToken user { id } }
}`;
const refresh = `mutation ($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken user { id } } }`;
const me = `{ me { id email displayName isSystemAdmin } }`;

async function usersWithEmail(email: string): Promise<number> {
  const result = await fixture.db.query('SELECT count(*)::int AS n FROM identity.users WHERE email = $1', [email]);
  return result.rows[0].n;
}

describe('signing up', () => {
  test('creates the account, returns working tokens, and stores only a hash of the password', async () => {
    const email = `Ada.${unique()}@Example.com`;
    const response = await fixture.graph.client.request(signUp, {
      input: { email, password: strongPassword, displayName: '  Ada Lovelace ' },
    });
    expect(response.errors).toBeUndefined();
    const payload = response.data!.signUp;
    expect(payload.user.email).toBe(email.toLowerCase());
    expect(payload.user.displayName).toBe('Ada Lovelace');
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const viewer = await fixture.graph.client.as(payload.accessToken).data(me);
    expect(viewer.me).toMatchObject({ id: payload.user.id, isSystemAdmin: false });

    const stored = await fixture.db.query('SELECT password_hash FROM identity.users WHERE id = $1', [payload.user.id]);
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.rows[0].password_hash).not.toContain(strongPassword);
    const tokens = await fixture.db.query('SELECT token_hash FROM identity.refresh_tokens WHERE user_id = $1', [payload.user.id]);
    expect(tokens.rows).toHaveLength(1);
    expect(tokens.rows[0].token_hash).not.toBe(payload.refreshToken);
  });

  test('refuses a duplicate email (in any letter case) with CONFLICT and creates nothing', async () => {
    const user = await signUpUser(fixture.graph.client);
    const response = await fixture.graph.client.request(signUp, {
      input: { email: user.email.toUpperCase(), password: strongPassword, displayName: 'Again' },
    });
    expect(errorCodes(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.email');
    expect(await usersWithEmail(user.email)).toBe(1);
  });

  test.each([
    ['too short', 'Xy7!short'],
    ['a common password', 'password123'],
    ['built from the email', 'grace.hopper.2026'],
    ['a keyboard walk', 'qwertyuiop1'],
  ])('refuses a weak password (%s) with BAD_USER_INPUT and creates nothing', async (_why, password) => {
    const email = `grace.hopper.2026@${unique()}.example.com`;
    const response = await fixture.graph.client.request(signUp, {
      input: { email, password, displayName: 'Grace' },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.password');
    expect(await usersWithEmail(email)).toBe(0);
  });

  test('refuses an invalid email with BAD_USER_INPUT naming the field', async () => {
    const response = await fixture.graph.client.request(signUp, {
      input: { email: 'not-an-email', password: strongPassword, displayName: 'X' },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('input.email');
  });
});

describe('logging in', () => {
  test('works with the right password, in any email letter case', async () => {
    const user = await signUpUser(fixture.graph.client);
    const data = await fixture.graph.client.data(logIn, {
      input: { email: user.email.toUpperCase(), password: user.password },
    });
    expect(data.logIn.user.id).toBe(user.id);
    expect((await fixture.graph.client.as(data.logIn.accessToken).data(me)).me.id).toBe(user.id);
  });

  test('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const user = await signUpUser(fixture.graph.client);
    const wrongPassword = await fixture.graph.client.request(logIn, {
      input: { email: user.email, password: 'not the password at all' },
    });
    const unknownEmail = await fixture.graph.client.request(logIn, {
      input: { email: `nobody-${unique()}@example.com`, password: user.password },
    });
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(unknownEmail)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors![0]!.message).toBe(unknownEmail.errors![0]!.message);
    expect(wrongPassword.data).toBeNull();
  });
});

describe('access tokens at the gateway', () => {
  test('no token means anonymous: me is null', async () => {
    expect((await fixture.graph.client.data(me)).me).toBeNull();
  });

  test('an expired token is refused with 401 UNAUTHENTICATED', async () => {
    const user = await signUpUser(fixture.graph.client);
    const expired = await new SignJWT({ sid: '00000000-0000-4000-8000-000000000000' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('token-nexus/identity')
      .setAudience('token-nexus/graph')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode('development-only access token secret: never use in production'));
    const response = await fixture.graph.client.as(expired).request(me);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors![0]!.message).toMatch(/expired/);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  test('a token signed with another key is refused, even for a real user id', async () => {
    const user = await signUpUser(fixture.graph.client);
    const forged = await new SignJWT({ sid: '00000000-0000-4000-8000-000000000000' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('token-nexus/identity')
      .setAudience('token-nexus/graph')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('an attacker guessed this secret, wrongly, 1234567890'));
    const response = await fixture.graph.client.as(forged).request(me);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('an unsigned token ("alg": "none") and garbage are refused', async () => {
    const user = await signUpUser(fixture.graph.client);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: user.id, iss: 'token-nexus/identity', aud: 'token-nexus/graph', exp: 9999999999, iat: 1 }),
    ).toString('base64url');
    for (const token of [`${header}.${body}.`, 'garbage']) {
      const response = await fixture.graph.client.as(token).request(me);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    }
  });

  test('a malformed Authorization header is refused rather than treated as anonymous', async () => {
    const response = await fixture.graph.client.request(me, undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refresh tokens', () => {
  test('rotate: each refresh returns new tokens and the old refresh token stops working', async () => {
    const user = await signUpUser(fixture.graph.client);
    const first = (await fixture.graph.client.data(refresh, { token: user.refreshToken })).refreshSession;
    expect(first.refreshToken).not.toBe(user.refreshToken);
    expect((await fixture.graph.client.as(first.accessToken).data(me)).me.id).toBe(user.id);
    const second = (await fixture.graph.client.data(refresh, { token: first.refreshToken })).refreshSession;
    expect(second.user.id).toBe(user.id);
  });

  test('reusing a spent refresh token revokes the whole family, including the newest token', async () => {
    const user = await signUpUser(fixture.graph.client);
    const rotated = (await fixture.graph.client.data(refresh, { token: user.refreshToken })).refreshSession;
    const reuse = await fixture.graph.client.request(refresh, { token: user.refreshToken });
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    const afterTheft = await fixture.graph.client.request(refresh, { token: rotated.refreshToken });
    expect(errorCodes(afterTheft)).toEqual(['UNAUTHENTICATED']);
    const rows = await fixture.db.query(
      'SELECT count(*)::int AS live FROM identity.refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
      [user.id],
    );
    expect(rows.rows[0].live).toBe(0);
  });

  test('two concurrent uses of one refresh token: at most one succeeds and the family ends', async () => {
    const user = await signUpUser(fixture.graph.client);
    const results = await Promise.all([
      fixture.graph.client.request(refresh, { token: user.refreshToken }),
      fixture.graph.client.request(refresh, { token: user.refreshToken }),
    ]);
    const succeeded = results.filter((result) => !result.errors);
    expect(succeeded.length).toBeLessThanOrEqual(1);
    expect(results.filter((result) => errorCodes(result)[0] === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(1);
    for (const winner of succeeded) {
      const later = await fixture.graph.client.request(refresh, { token: winner.data!.refreshSession.refreshToken });
      expect(errorCodes(later)).toEqual(['UNAUTHENTICATED']);
    }
  });

  test('logging out refuses the session\'s access tokens at once, and only that session\'s', async () => {
    const user = await signUpUser(fixture.graph.client);
    const otherDevice = await fixture.graph.client.data(logIn, { input: { email: user.email, password: user.password } });
    await fixture.graph.client.data(`mutation ($token: String!) { logOut(refreshToken: $token) }`, { token: user.refreshToken });
    const ended = await user.client.request(me);
    expect(ended.status).toBe(401);
    expect(errorCodes(ended)).toEqual(['UNAUTHENTICATED']);
    expect(ended.errors![0]!.message).toMatch(/session has ended/);
    expect((await fixture.graph.client.as(otherDevice.logIn.accessToken).data(me)).me.id).toBe(user.id);
  });

  test('a detected refresh-token theft also refuses the stolen session\'s access tokens', async () => {
    const user = await signUpUser(fixture.graph.client);
    const rotated = (await fixture.graph.client.data(refresh, { token: user.refreshToken })).refreshSession;
    await fixture.graph.client.request(refresh, { token: user.refreshToken });
    expect((await fixture.graph.client.as(rotated.accessToken).request(me)).status).toBe(401);
  });

  test('logging out ends the session; a second log out reports false', async () => {
    const user = await signUpUser(fixture.graph.client);
    const logOut = `mutation ($token: String!) { logOut(refreshToken: $token) }`;
    expect((await fixture.graph.client.data(logOut, { token: user.refreshToken })).logOut).toBe(true);
    expect(errorCodes(await fixture.graph.client.request(refresh, { token: user.refreshToken }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await fixture.graph.client.data(logOut, { token: user.refreshToken })).logOut).toBe(false);
    expect((await fixture.graph.client.data(logOut, { token: 'tnx_rt_unknown' })).logOut).toBe(false);
  });

  test('an unknown refresh token is UNAUTHENTICATED', async () => {
    const response = await fixture.graph.client.request(refresh, { token: 'tnx_rt_made_up' });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
