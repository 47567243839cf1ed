/**
 * Another web page open in the trainee's browser must not drive the lab, a DNS-rebinding name must not reach it, and
 * with an access token nothing but the token holder gets in. Each refusal leaves the lab as it was.
 */
import { describe, expect } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import { startSimulator } from '../../src/http/start-server.ts';
import { it } from '../support/app.ts';
import { openTestLab } from '../support/lab.ts';

const MAC = '0004F2A00001';
const EVIL = 'http://evil.example:8000';

describe('Requests from other pages', () => {
  it('an HTML form posted to the control API is refused (JSON only), and the lab is unchanged', async ({ app, lab }) => {
    const before = lab.handsets.size;
    const res = await app.inject({ method: 'POST', url: '/api/handsets', payload: 'model=Rove+30', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'JSON_REQUIRED' });
    expect(res.json().message).toContain('content-type: application/json');
    expect(lab.handsets.size).toBe(before);
  });

  it('a change whose Origin is another site is refused on the API and the lab pages; same-origin pages still work', async ({ app, lab }) => {
    const pause = await app.inject({ method: 'POST', url: '/api/clock', payload: { speed: 5 }, headers: { origin: EVIL, host: 'localhost:8080' } });
    expect(pause.statusCode).toBe(403);
    expect(pause.json()).toMatchObject({ code: 'CROSS_ORIGIN_REFUSED' });
    expect(lab.clock.speed).toBe(1);
    const save = await app.inject({
      method: 'POST',
      url: '/lab/checkpoints/save',
      payload: 'name=evil',
      headers: { origin: EVIL, host: 'localhost:8080', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(save.statusCode).toBe(403);
    expect(lab.store.listCheckpoints()).toEqual([]);
    const sameSite = await app.inject({ method: 'POST', url: '/api/clock', payload: { speed: 5 }, headers: { 'sec-fetch-site': 'same-site' } });
    expect(sameSite.statusCode).toBe(403);
    const own = await app.inject({
      method: 'POST',
      url: '/lab/checkpoints/save',
      payload: 'name=before-rollout',
      headers: { origin: 'http://localhost:8080', host: 'localhost:8080', 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(own.statusCode).toBeLessThan(400);
    expect(lab.store.listCheckpoints().map((c) => c.name)).toEqual(['before-rollout']);
  });
});

describe('Host names and the access token', () => {
  it('a request for a host name that is not loopback is refused while listening on loopback (DNS rebinding)', async () => {
    const lab = await openTestLab();
    const app = await buildApp({ lab, guard: { loopbackOnly: true } });
    const rebound = await app.inject({ url: '/api/bases', headers: { host: 'rebind.attacker.example:8080' } });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json().message).toContain('http://127.0.0.1:<port>/');
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']) {
      expect((await app.inject({ url: '/api/bases', headers: { host } })).statusCode).toBe(200);
    }
    await app.close();
    await lab.close();
  });

  it('with --api-token, the API and lab pages need the token (header, or ?token= that sets a cookie); health, assets and the web admin do not', async () => {
    const lab = await openTestLab();
    const token = 'classroom-2026-secret';
    const app = await buildApp({ lab, guard: { token } });
    const anonymous = await app.inject('/api/bases');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'TOKEN_REQUIRED' });
    expect((await app.inject({ url: '/api/bases', headers: { authorization: 'Bearer wrong-token-123' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/bases', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const page = await app.inject(`/?token=${token}`);
    expect(page.statusCode).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`rove-token=${token}`);
    expect((await app.inject({ url: '/lab/faults/', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    const webAdmin = await app.inject(`/bases/${MAC}/`); // the web admin has its own login (here: the base still boots)
    expect(webAdmin.body).not.toContain('TOKEN_REQUIRED');
    expect(webAdmin.body).toContain('Rove B4');
    await app.close();
    await lab.close();
  });

  it('start refuses to listen on a non-loopback address without a token', async () => {
    await expect(startSimulator({ labFile: ':memory:', host: '0.0.0.0', port: 0, basePort: 0, speed: 1, log: () => undefined })).rejects.toThrow(
      'listening on 0.0.0.0 (not loopback) needs an access token: add --api-token <secret>',
    );
  });
});

describe('Pages in frames', () => {
  it('the web admin, the lab pages and the Teams admin center may not be framed by another site', async ({ app }) => {
    const { buildTeamsAdminCenter } = await import('../../src/cloud/teams/admin-center/build-admin-center.ts');
    const lab = await openTestLab();
    const tac = await buildTeamsAdminCenter({ gateway: lab.teams });
    for (const res of [await app.inject(`/bases/${MAC}/`), await app.inject('/lab/faults/'), await app.inject('/'), await tac.inject('/devices/phones')]) {
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    }
    await tac.close();
    await lab.close();
  });
});
