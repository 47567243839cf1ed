import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../../../src/devices/base-station/config-file.ts';
import type { Lab } from '../../../../src/lab/lab.ts';
import { parseProvisioningPath } from '../../../../src/cloud/teams/provisioning/provisioning-service.ts';
import { openTestLab } from '../../../support/lab.ts';

const IPEI = '0087654321';
const HW = `00${IPEI}`;
const TENANT = '8f6a1c2e-3b4d-4e5f-9a6b-7c8d9e0f1a2b';

describe('Teams provisioning service ({noam,emea,apac}.ipp.sdg.teams.microsoft.com)', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await openTestLab();
  });
  afterEach(async () => {
    await lab.close();
  });

  /** Fetches through the emulated internet, as a base does. */
  const fetchFile = async (url: string) => {
    const res = await lab.internet.get(url);
    if (res.kind !== 'response') throw new Error(res.message);
    return { status: res.status, text: res.body.toString('utf8'), values: parseConfigFile(res.body.toString('utf8')).values };
  };

  it('understands the URL forms with lang_xx and tenantid/<guid> before the file name', () => {
    expect(parseProvisioningPath(`/${HW}.cfg`)).toEqual({ fileName: `${HW}.cfg` });
    expect(parseProvisioningPath(`/lang_DE/tenantid/${TENANT}/${HW}.cfg`)).toEqual({ fileName: `${HW}.cfg`, lang: 'de', tenantId: TENANT });
    expect(parseProvisioningPath(`/tenantid/${TENANT}/lang_ja/${HW}.cfg`)).toEqual({ fileName: `${HW}.cfg`, lang: 'ja', tenantId: TENANT });
    expect(parseProvisioningPath(`/other/${HW}.cfg`)).toBeUndefined();
  });

  it('gives an unknown device the onboarding configuration with a temporary onboarding SIP account', async () => {
    const file = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/${HW}.cfg`);
    expect(file.status).toBe(200);
    expect(file.values).toMatchObject({
      TEAMS_STATE: 'onboarding',
      TEAMS_HARDWARE_ID: HW,
      TEAMS_REGION: 'EMEA',
      LANGUAGE: 'en',
      SIP_SERVER: 'emea.sip.sdg.teams.microsoft.com',
      SIP_PORT: '5061',
      SIP_TRANSPORT: 'TLS',
      SIP_USER: `onboarding-${HW.toLowerCase()}`,
      SIP_LINE_LABEL: '',
      TEAMS_ENROLL_FEATURE_CODE: '*55*',
    });
    expect(file.values['SIP_PASSWORD']).toMatch(/^[\w-]{20}$/);
    const again = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/${HW}.cfg`);
    expect(again.text).toBe(file.text);
  });

  it('reads encoded paths and query strings as the plain path', async () => {
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    const plain = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/lang_de/${HW}.cfg`);
    const encoded = [...HW].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    for (const path of [`/lang_de/${encoded}.cfg`, `/lang_%64e/${HW}.cfg`, `/lang_de/${HW}.cfg?x=1`]) {
      expect(await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com${path}`)).toEqual(plain);
    }
  });

  it('answers per state: waiting for sign-in, then the user\'s line; the language comes from lang_xx', async () => {
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    const { code } = lab.teams.generateVerificationCode(HW);
    lab.teams.enroll(HW, code, 'EMEA');
    const waiting = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/lang_de/${HW}.cfg`);
    expect(waiting.values).toMatchObject({ TEAMS_STATE: 'waiting-for-sign-in', LANGUAGE: 'de', TEAMS_ORGANIZATION: 'Contoso', TEAMS_SIGNIN_URL: 'https://microsoft.com/devicelogin' });
    expect(lab.teams.device(HW)?.language).toBe('de');
    const pairing = lab.teams.requestPairingCode(HW, 'device');
    lab.teams.signIn(pairing.code, 'henrietta.mueller@contoso.com');
    const line = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/lang_de/${HW}.cfg`);
    expect(line.values).toMatchObject({
      TEAMS_STATE: 'signed-in',
      SIP_USER: '+4969555010',
      SIP_DISPLAY_NAME: 'Henrietta Mueller',
      SIP_LINE_LABEL: '+4969555010',
      TEAMS_USER: 'henrietta.mueller@contoso.com',
      TEAMS_CALLING: 'allowed',
    });
    expect(line.values['SIP_PASSWORD']).not.toBe(waiting.values['SIP_PASSWORD']);
    for (const lang of ['es', 'ja', 'fr', 'pt']) {
      expect((await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/lang_${lang}/${HW}.cfg`)).values['LANGUAGE']).toBe(lang);
    }
    const unsupported = await fetchFile(`http://emea.ipp.sdg.teams.microsoft.com/lang_it/${HW}.cfg`);
    expect(unsupported.values['LANGUAGE']).toBe('en');
    expect(unsupported.text).toContain('Language "it" is not supported: English is used.');
  });

  it('a device enrolled via EMEA is not known via NOAM, which onboards it again', async () => {
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    lab.teams.enroll(HW, lab.teams.generateVerificationCode(HW).code, 'EMEA');
    const noam = await fetchFile(`http://noam.ipp.sdg.teams.microsoft.com/${HW}.cfg`);
    expect(noam.values).toMatchObject({ TEAMS_STATE: 'onboarding', TEAMS_REGION: 'NOAM', SIP_SERVER: 'noam.sip.sdg.teams.microsoft.com' });
    expect(noam.text).toContain('The NOAM gateway has no record of this device (it enrolled via EMEA)');
    expect(lab.teams.device(HW)?.lastContactRegion).toBe('EMEA');
  });

  it('records the tenant id of the URL as the device\'s bulk sign-in tag, and refuses a malformed one', async () => {
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    await fetchFile(`http://apac.ipp.sdg.teams.microsoft.com/tenantid/${TENANT.toUpperCase()}/${HW}.cfg`);
    expect(lab.teams.device(HW)?.bulkSignInTag).toBe(TENANT);
    expect((await fetchFile(`http://apac.ipp.sdg.teams.microsoft.com/tenantid/not-a-guid/${HW}.cfg`)).status).toBe(404);
    expect((await fetchFile('http://apac.ipp.sdg.teams.microsoft.com/hello.cfg')).status).toBe(404);
  });

  it('serves the same files through the gateway API the wiring calls', () => {
    const answer = lab.teams.provisioningFileFor(HW, 'EMEA', 'fr');
    expect(answer).toMatchObject({ status: 200, state: 'onboarding', language: 'fr' });
    expect(lab.teams.sipAccountFor(HW, 'EMEA')?.user).toBe(`onboarding-${HW.toLowerCase()}`);
  });

  it('gives the lines the SIP account the file names, in every state and region', async () => {
    const accountInFile = async (region: string) => {
      const { values } = await fetchFile(`http://${region.toLowerCase()}.ipp.sdg.teams.microsoft.com/${HW}.cfg`);
      return { user: values['SIP_USER'], password: values['SIP_PASSWORD'] };
    };
    const check = async () => {
      for (const region of ['EMEA', 'NOAM'] as const) expect(lab.teams.sipAccountFor(HW, region)).toEqual(await accountInFile(region));
    };
    await check(); // unknown device: onboarding
    lab.teams.addDevices([{ macAddress: HW }], 'api');
    await check();
    lab.teams.enroll(HW, lab.teams.generateVerificationCode(HW).code, 'EMEA');
    await check(); // waiting for sign-in via EMEA, unknown via NOAM
    lab.teams.signIn(lab.teams.requestPairingCode(HW, 'device').code, 'henrietta.mueller@contoso.com');
    await check(); // the user's line
    expect(lab.teams.sipAccountFor(HW, 'EMEA')?.user).toBe('+4969555010');
  });
});
