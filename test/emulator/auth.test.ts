import { describe, expect, it } from 'vitest';
import { basic, call, GUEST, useEmulator } from './client.js';

const emulator = useEmulator();

describe('authentication', () => {
  it('answers 401 with a Basic challenge and an HTML page without credentials', async () => {
    const res = await call(emulator(), '/data/projects?format=json', { as: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="XNAT Protected Area"');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/^<html>/);
  });

  it('sends a browser-like client without credentials to the login page instead of challenging it', async () => {
    for (const agent of ['Mozilla/5.0 (X11; Linux x86_64)', 'Opera/9.80']) {
      const res = await call(emulator(), '/data/projects?format=json', { as: null, headers: { 'user-agent': agent }, redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/app/template/Login.vm');
    }
    const script = await call(emulator(), '/data/projects?format=json', {
      as: null,
      headers: { 'user-agent': 'python-requests/2.31' },
      redirect: 'manual',
    });
    expect(script.status).toBe(401);
  });

  it("checks a browser's writes for its session's XNAT_CSRF token; scripts are exempt", async () => {
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' };
    const resource = (label: string) => `/data/projects/PROT_NEURO/resources/${label}`;
    const exists = async (label: string) =>
      (
        (await (await call(emulator(), '/data/projects/PROT_NEURO/resources?format=json')).json()).ResultSet.Result as { label: string }[]
      ).some((r) => r.label === label);
    // Basic opens a new session, whose token the browser cannot know: the write fails, nothing is stored.
    expect((await call(emulator(), resource('CSRF_BASIC'), { method: 'PUT', headers: browser })).status).toBe(500);
    expect(await exists('CSRF_BASIC')).toBe(false);
    // Reads need no token.
    expect((await call(emulator(), '/data/projects?format=json', { headers: browser })).status).toBe(200);

    const login = await call(emulator(), '/data/JSESSION?CSRF=true', { headers: browser });
    const [id, token] = (await login.text()).split('; XNAT_CSRF=') as [string, string];
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const asSession = { ...browser, cookie: `JSESSIONID=${id}` };
    expect((await call(emulator(), resource('CSRF_NONE'), { method: 'PUT', as: null, headers: asSession })).status).toBe(500);
    const wrong = `${resource('CSRF_WRONG')}?XNAT_CSRF=${token.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`;
    expect((await call(emulator(), wrong, { method: 'PUT', as: null, headers: asSession })).status).toBe(500);
    const right = `${resource('CSRF_RIGHT')}?XNAT_CSRF=${token.toUpperCase()}`;
    expect((await call(emulator(), right, { method: 'PUT', as: null, headers: asSession })).status).toBe(200);
    expect([await exists('CSRF_NONE'), await exists('CSRF_WRONG'), await exists('CSRF_RIGHT')]).toEqual([false, false, true]);

    // Blank, scripted, Java and desktop-client agents write without a token.
    for (const agent of ['', 'python-requests/2.31', 'Mozilla/5.0 Java/17', 'Mozilla/5.0 XNATDesktopClient/1.0']) {
      const label = `CSRF_EXEMPT_${agent.length}`;
      expect((await call(emulator(), resource(label), { method: 'PUT', headers: { 'user-agent': agent } })).status).toBe(200);
    }
  });

  it('authenticates before routing: unknown or malformed paths answer 401 without credentials', async () => {
    expect((await call(emulator(), '/data/no-such-route', { as: null })).status).toBe(401);
    expect((await call(emulator(), '/data/projects/%zz', { as: null })).status).toBe(401);
    expect((await call(emulator(), '/data/projects/%zz')).status).toBe(400);
  });

  it('answers 401 for a wrong password and an unknown user', async () => {
    expect((await call(emulator(), '/data/projects', { as: 'admin:wrong' })).status).toBe(401);
    expect((await call(emulator(), '/data/projects', { as: 'nobody:admin' })).status).toBe(401);
  });

  it('opens a JSESSION whose cookie authenticates later requests until it is deleted', async () => {
    const open = await call(emulator(), '/data/JSESSION');
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toMatch(/^text\/plain/);
    const id = await open.text();
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    expect(open.headers.get('set-cookie')).toBe(`JSESSIONID=${id}; Path=/; HttpOnly`);

    const cookie = { cookie: `JSESSIONID=${id}` };
    const listed = await call(emulator(), '/data/projects?format=json', { as: null, headers: cookie });
    expect(listed.status).toBe(200);
    // The session user is admin: the private project is visible through the cookie alone.
    const ids = (await listed.json()).ResultSet.Result.map((r: { ID: string }) => r.ID);
    expect(ids).toContain('PRIV_ONC');

    // Re-asking with the cookie returns the same session.
    expect(await (await call(emulator(), '/data/JSESSION', { as: null, headers: cookie })).text()).toBe(id);

    const closed = await call(emulator(), '/data/JSESSION', { method: 'DELETE', as: null, headers: cookie });
    expect(closed.status).toBe(200);
    expect((await call(emulator(), '/data/projects', { as: null, headers: cookie })).status).toBe(401);
  });

  it('also opens sessions with POST; Basic credentials of another user beside a live session log in anew', async () => {
    const id = await (await call(emulator(), '/data/JSESSION', { method: 'POST', as: GUEST })).text();
    const res = await call(emulator(), '/data/projects?format=json', {
      headers: { cookie: `JSESSIONID=${id}`, authorization: basic('admin:admin') },
      as: null,
    });
    // XnatBasicAuthenticationFilter re-authenticates when the Basic user is not the session's.
    const ids = (await res.json()).ResultSet.Result.map((r: { ID: string }) => r.ID);
    expect(ids).toContain('PRIV_ONC');
    expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=[0-9A-F]{32};/);
    expect(res.headers.get('set-cookie')).not.toContain(id);
  });

  it('serves the same API under /REST and /data/archive', async () => {
    for (const prefix of ['/REST', '/data/archive']) {
      const res = await call(emulator(), `${prefix}/projects?format=json`);
      expect(res.status).toBe(200);
      expect((await res.json()).ResultSet.totalRecords).toBe('4');
    }
  });

  it('answers unknown routes with a 404 HTML page', async () => {
    for (const path of ['/data/nothing', '/data/projects/test/bogus', '/elsewhere', '/data/subjects/XNAT_S00001/experiments']) {
      const res = await call(emulator(), path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toMatch(/^<html>/);
    }
  });
});

describe('permissions', () => {
  it('hides private projects from guest listings and answers 404 for their objects', async () => {
    const res = await call(emulator(), '/data/projects?format=json', { as: GUEST });
    const ids = (await res.json()).ResultSet.Result.map((r: { ID: string }) => r.ID);
    expect(ids).toContain('test');
    expect(ids).not.toContain('PRIV_ONC');
    for (const path of [
      '/data/projects/PRIV_ONC?format=json',
      '/data/projects/PRIV_ONC/subjects?format=json',
      '/data/projects/PRIV_ONC/experiments?format=json',
      '/data/projects/PRIV_ONC/resources?format=json',
      '/data/experiments/XNAT_E00041/scans?format=json',
    ]) {
      expect((await call(emulator(), path, { as: GUEST })).status, path).toBe(404);
    }
    const experiments = await (await call(emulator(), '/data/experiments?format=json&columns=ID,project', { as: GUEST })).json();
    const projects = new Set(experiments.ResultSet.Result.map((r: { project: string }) => r.project));
    expect(projects.has('PRIV_ONC')).toBe(false);
    expect(projects.has('test')).toBe(true);
  });

  it('refuses guest writes with 403', async () => {
    const writes: Array<[string, string]> = [
      ['PUT', '/data/projects/test/subjects/guest-subject'],
      ['PUT', '/data/projects/test/subjects/sub-01/experiments/guest-session?xsiType=xnat:mrSessionData'],
      ['PUT', '/data/experiments/XNAT_E00001/scans/77?xsiType=xnat:mrScanData'],
      ['PUT', '/data/experiments/XNAT_E00001/resources/GUEST'],
      ['DELETE', '/data/experiments/XNAT_E00001/scans/2/resources/nifti/files/mprage.nii.gz'],
      ['DELETE', '/data/experiments/XNAT_E00001/scans/2/resources/nifti'],
      ['DELETE', '/data/experiments/XNAT_E00001/scans/2'],
      ['DELETE', '/data/experiments/XNAT_E00001'],
      ['DELETE', '/data/projects/test/subjects/sub-01'],
    ];
    for (const [method, path] of writes) {
      expect((await call(emulator(), path, { method, as: GUEST })).status, `${method} ${path}`).toBe(403);
    }
    // Nothing changed.
    const scans = await (await call(emulator(), '/data/experiments/XNAT_E00001/scans/2/resources/nifti/files?format=json')).json();
    expect(scans.ResultSet.Result.map((r: { Name: string }) => r.Name)).toContain('mprage.nii.gz');
  });
});
