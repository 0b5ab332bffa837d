import { describe, expect, it } from 'vitest';
import { ADMIN, basic, call, GUEST, useEmulator } from './client.js';

const CAP = 3;
const emulator = useEmulator();
/** Cookie-less requests open a session each, so the cap test has an emulator of its own. */
const cappedEmulator = useEmulator({ concurrentMaxSessions: CAP });

const cookieOf = (res: Response) => /JSESSIONID=([0-9A-F]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

async function login(credentials: string, on = emulator()): Promise<string> {
  const res = await call(on, '/data/JSESSION', { as: credentials });
  expect(res.status).toBe(200);
  return res.text();
}

/** A user of its own per test, so session counts do not mix. */
async function newUser(name: string, on = emulator()): Promise<string> {
  const res = await call(on, '/xapi/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, password: `${name}-pw` }),
  });
  expect(res.status).toBe(201);
  return `${name}:${name}-pw`;
}

describe('sessions as XNAT keeps them', () => {
  it('opens and registers a new session, with a fresh Set-Cookie, for every request whose cookie is dead', async () => {
    const id = await login(GUEST);
    emulator().sessions.dropAll();
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await call(emulator(), '/data/projects?format=json', { as: GUEST, headers: { cookie: `JSESSIONID=${id}` } });
      expect(res.status).toBe(200);
      const fresh = cookieOf(res);
      expect(fresh).toMatch(/^[0-9A-F]{32}$/);
      expect(fresh).not.toBe(id);
      seen.add(fresh!);
    }
    expect(seen.size).toBe(3);
    expect(emulator().sessions.live('guest')).toBe(3);
  });

  it('honours a live session without checking the Basic password beside it, and sets no cookie', async () => {
    const id = await login(GUEST);
    const res = await call(emulator(), '/data/projects?format=json', { as: 'guest:wrong', headers: { cookie: `JSESSIONID=${id}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses logins past concurrentMaxSessions with 401 and the login failure message, until sessions end', async () => {
    const xnat = cappedEmulator;
    const user = await newUser('capped', xnat());
    const ids: string[] = [];
    for (let i = 0; i < CAP; i++) ids.push(await login(user, xnat()));
    const refused = await call(xnat(), '/data/projects?format=json', { as: user });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBeNull();
    expect(await refused.text()).toContain('maximum number of user sessions');
    // The refused login's session was registered before the count, and its cookie is sent.
    const refusedId = cookieOf(refused);
    expect(refusedId).toMatch(/^[0-9A-F]{32}$/);
    expect(xnat().sessions.live('capped')).toBe(CAP + 1);
    // Retrying with that cookie replaces it rather than adding one; a wrong password opens nothing.
    const retried = await call(xnat(), '/data/JSESSION', { as: user, headers: { cookie: `JSESSIONID=${refusedId}` } });
    expect(retried.status).toBe(401);
    expect((await call(xnat(), '/data/JSESSION', { as: 'capped:wrong' })).headers.get('set-cookie')).toBeNull();
    expect(xnat().sessions.live('capped')).toBe(CAP + 1);
    // The sessions that were accepted still work.
    expect((await call(xnat(), '/data/projects', { as: null, headers: { cookie: `JSESSIONID=${ids[0]}` } })).status).toBe(200);
    // Ending two sessions frees the cap (the refused one still counts).
    for (const id of ids.slice(0, 2))
      await call(xnat(), '/data/JSESSION', { method: 'DELETE', as: null, headers: { cookie: `JSESSIONID=${id}` } });
    expect((await call(xnat(), '/data/JSESSION', { as: user })).status).toBe(200);
    // Other users are not affected by this user's cap.
    expect((await call(xnat(), '/data/JSESSION', { as: GUEST })).status).toBe(200);
  });

  it("lists and ends a user's sessions through /xapi/users/active/{username}", async () => {
    const user = await newUser('lister');
    const first = await login(user);
    const second = await login(user);
    const listed = await call(emulator(), '/xapi/users/active/lister', { as: user, headers: { cookie: `JSESSIONID=${first}` } });
    expect(new Set(await listed.json())).toEqual(new Set([first, second]));
    expect((await call(emulator(), '/xapi/users/active/lister', { as: GUEST })).status).toBe(403);
    const ended = await call(emulator(), '/xapi/users/active/lister', {
      method: 'DELETE',
      as: null,
      headers: { cookie: `JSESSIONID=${first}` },
    });
    expect(await ended.json()).toEqual([second]);
    expect((await call(emulator(), '/data/projects', { as: null, headers: { cookie: `JSESSIONID=${second}` } })).status).toBe(401);
    expect((await call(emulator(), '/data/projects', { as: null, headers: { cookie: `JSESSIONID=${first}` } })).status).toBe(200);
  });
});

describe('password changes', () => {
  it('leave existing sessions alive; the old password no longer logs in, the new one does', async () => {
    const user = await newUser('rotating');
    const id = await login(user);
    const changed = await call(emulator(), '/xapi/users/rotating', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'new-secret' }),
    });
    expect(changed.status).toBe(200);
    expect((await changed.json()).username).toBe('rotating');
    // The old password beside the live session is not checked.
    expect((await call(emulator(), '/data/projects', { as: user, headers: { cookie: `JSESSIONID=${id}` } })).status).toBe(200);
    expect((await call(emulator(), '/data/JSESSION', { as: user })).status).toBe(401);
    expect((await call(emulator(), '/data/JSESSION', { as: 'rotating:new-secret' })).status).toBe(200);
  });

  it('are for admins only', async () => {
    const res = await call(emulator(), '/xapi/users/admin', {
      method: 'PUT',
      as: GUEST,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'x' }),
    });
    expect(res.status).toBe(403);
    expect((await call(emulator(), '/data/JSESSION', { as: ADMIN })).status).toBe(200);
  });
});

describe('alias tokens', () => {
  it('issues a token whose alias and secret authenticate as its user, until it is invalidated', async () => {
    const res = await call(emulator(), '/data/services/tokens/issue');
    expect(res.status).toBe(200);
    const token = await res.json();
    expect(token.xdatUserId).toBe('admin');
    expect(token.alias).toMatch(/^[0-9a-f-]{36}$/);
    expect(token.secret).toMatch(/^[A-Za-z0-9]{64}$/);
    const credentials = `${token.alias}:${token.secret}`;
    const projects = await call(emulator(), '/data/projects?format=json', { as: credentials });
    expect(projects.status).toBe(200);
    // Admin's view: the private project is listed.
    expect((await projects.json()).ResultSet.Result.map((r: { ID: string }) => r.ID)).toContain('PRIV_ONC');
    // A session of admin accepts the token beside it without logging in again.
    const id = await login(ADMIN);
    const beside = await call(emulator(), '/data/projects', { as: credentials, headers: { cookie: `JSESSIONID=${id}` } });
    expect(beside.headers.get('set-cookie')).toBeNull();

    const valid = await call(emulator(), `/data/services/tokens/validate/${token.alias}/${token.secret}`);
    expect(await valid.json()).toEqual({ valid: 'admin' });
    expect((await call(emulator(), '/data/projects', { as: `${token.alias}:wrong` })).status).toBe(401);
    expect((await call(emulator(), `/data/services/tokens/invalidate/${token.alias}`)).status).toBe(200);
    expect((await call(emulator(), '/data/projects', { as: credentials })).status).toBe(401);
    // Demo users keep working.
    expect((await call(emulator(), '/data/projects', { as: ADMIN })).status).toBe(200);
  });

  it('are not issued to the guest user, nor by one user for another', async () => {
    expect((await call(emulator(), '/data/services/tokens/issue', { as: GUEST })).status).toBe(403);
    const user = await newUser('tokenless');
    expect((await call(emulator(), '/data/services/tokens/issue/user/admin', { as: user })).status).toBe(403);
    expect((await (await call(emulator(), '/data/services/tokens/issue/user/tokenless')).json()).xdatUserId).toBe('tokenless');
  });
});

// Uses basic() so the import is exercised by a raw header too.
describe('Basic header parsing', () => {
  it('treats a blank user name as no credentials', async () => {
    const res = await fetch(`${emulator().url}/data/projects`, { headers: { authorization: basic(':admin') } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
  });
});

describe('failed logins as XNAT counts them', () => {
  const lockable = useEmulator({ maxFailedLogins: 4 });

  it('locks an account after maxFailedLogins refused logins in a row, right password included, alias tokens too', async () => {
    const user = await newUser('locked', lockable());
    const token = (await (await call(lockable(), '/data/services/tokens/issue', { as: user })).json()) as { alias: string; secret: string };
    for (let i = 0; i < 4; i++) expect((await call(lockable(), '/data/JSESSION', { as: 'locked:wrong' })).status).toBe(401);
    expect(lockable().sessions.failedLogins('locked')).toBe(4);
    expect((await call(lockable(), '/data/JSESSION', { as: user })).status).toBe(401);
    expect((await call(lockable(), '/data/JSESSION', { as: `${token.alias}:${token.secret}` })).status).toBe(401);
  });

  it('clears the count on an accepted login, and never counts guest', async () => {
    const user = await newUser('forgetful', lockable());
    for (let i = 0; i < 3; i++) expect((await call(lockable(), '/data/JSESSION', { as: 'forgetful:wrong' })).status).toBe(401);
    expect((await call(lockable(), '/data/JSESSION', { as: user })).status).toBe(200);
    expect(lockable().sessions.failedLogins('forgetful')).toBe(0);
    for (let i = 0; i < 5; i++) expect((await call(lockable(), '/data/JSESSION', { as: 'guest:wrong' })).status).toBe(401);
    expect((await call(lockable(), '/data/JSESSION', { as: GUEST })).status).toBe(200);
  });
});
