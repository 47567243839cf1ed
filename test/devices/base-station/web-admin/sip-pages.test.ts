/**
 * SIP → Servers and SIP → Extensions: a technician defines the registrar, then an extension per handset. The default
 * lab's base is at factory defaults (no server); the calls-demo lab's comes with the lab's SIP server and four
 * extensions; these stories start from a clean configuration.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN, get, openConfiguredWebAdmin, post, visibleText, type WebAdminWorld } from './web-admin-client.ts';

const SERVER = { address: 'sip.lab.test', port: '5060', transport: 'UDP', registrationExpiry: '600', outboundProxy: '' };
const EXTENSION = { extension: '2001', authUser: '', password: 'secret-2001', displayName: 'Reception', serverId: '1', handset: '' };

describe('Web admin SIP pages', () => {
  let world: WebAdminWorld;
  afterEach(async () => world?.close());

  async function cleanSip(): Promise<void> {
    world = await openConfiguredWebAdmin();
    world.base.send({ type: 'SET_SIP_CONFIG', sip: { servers: [], extensions: [] } });
  }

  it('Extensions needs a server first', async () => {
    await cleanSip();
    const page = await get(world.app, 'sip-extensions', ADMIN_LOGIN);
    expect(visibleText(page.body)).toContain('Define a server first');
    const refused = await post(world.app, 'sip-extensions', EXTENSION, ADMIN_LOGIN);
    expect(refused.statusCode).toBe(400);
    expect(visibleText(refused.body)).toContain('Define a server first');
    expect(world.base.flash.sip?.extensions).toEqual([]);
  });

  it('a server is checked field by field and saved only when all are valid', async () => {
    await cleanSip();
    const bad = await post(world.app, 'sip-servers', { ...SERVER, address: 'not a host', port: '70000', transport: 'SCTP', registrationExpiry: '5' }, ADMIN_LOGIN);
    expect(bad.statusCode).toBe(400);
    const text = visibleText(bad.body);
    expect(text).toContain('is not a host name or IP address');
    expect(text).toContain('Port: must be a number from 1 to 65535');
    expect(text).toContain('Transport: must be one of UDP, TCP, TLS, WS');
    expect(text).toContain('from 60 to 86400');
    expect(world.base.flash.sip?.servers).toEqual([]);

    const saved = await post(world.app, 'sip-servers', SERVER, ADMIN_LOGIN);
    expect(saved.statusCode).toBe(303);
    expect(world.base.flash.sip?.servers).toEqual([{ id: 1, address: 'sip.lab.test', port: 5060, transport: 'UDP', registrationExpiry: 600, outboundProxy: '' }]);
    expect(visibleText((await get(world.app, 'sip-servers', ADMIN_LOGIN)).body)).toContain('sip.lab.test');
  });

  it('extension numbers are unique; a server in use cannot be deleted', async () => {
    await cleanSip();
    await post(world.app, 'sip-servers', SERVER, ADMIN_LOGIN);
    expect((await post(world.app, 'sip-extensions', EXTENSION, ADMIN_LOGIN)).statusCode).toBe(303);
    const twice = await post(world.app, 'sip-extensions', { ...EXTENSION, password: 'other' }, ADMIN_LOGIN);
    expect(twice.statusCode).toBe(400);
    expect(visibleText(twice.body)).toContain('2001 already exists; extension numbers must be unique');
    const badIpei = await post(world.app, 'sip-extensions', { ...EXTENSION, extension: '2002', handset: 'XYZ' }, ADMIN_LOGIN);
    expect(visibleText(badIpei.body)).toContain('is not an IPEI');
    expect(world.base.flash.sip?.extensions).toEqual([
      { extension: '2001', authUser: '2001', password: 'secret-2001', displayName: 'Reception', serverId: 1, handset: '' },
    ]);

    const inUse = await post(world.app, 'sip-servers/remove', { remove: '1' }, ADMIN_LOGIN);
    expect(inUse.statusCode).toBe(400);
    expect(visibleText(inUse.body)).toContain('Server 1 is used by extension 2001');
    expect((await post(world.app, 'sip-extensions/remove', { remove: '2001' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect((await post(world.app, 'sip-servers/remove', { remove: '1' }, ADMIN_LOGIN)).statusCode).toBe(303);
    expect(world.base.flash.sip).toEqual({ servers: [], extensions: [] });
  });

  it('the calls-demo lab: the lab SIP server and extensions 1001–1004; Home/Status lists no line until a handset is registered', async () => {
    world = await openConfiguredWebAdmin({ template: 'calls-demo' });
    const status = visibleText((await get(world.app, '', ADMIN_LOGIN)).body);
    expect(status).toContain('SIP lines');
    expect(status).toContain('No line');
    const extensions = visibleText((await get(world.app, 'sip-extensions', ADMIN_LOGIN)).body);
    expect(extensions).toContain('1001');
    expect(extensions).toContain('1004');
  });

  it('the default (factory) lab: no SIP server, no extension, as the base comes out of the box', async () => {
    world = await openConfiguredWebAdmin();
    expect(world.base.flash.sip ?? { servers: [], extensions: [] }).toEqual({ servers: [], extensions: [] });
    const servers = visibleText((await get(world.app, 'sip-servers', ADMIN_LOGIN)).body);
    expect(servers).toContain('No server defined.');
    const extensions = visibleText((await get(world.app, 'sip-extensions', ADMIN_LOGIN)).body);
    expect(extensions).toContain('Define a server first');
    expect(world.lab.template).toBe('factory');
  });
});
