import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestLab } from '../../support/lab.ts';
import { HW } from './gateway-steps.ts';

/** The gateway as the composition of its parts (gateway.ts): what only the whole shows. */
describe('Teams SIP Gateway: the parts together', () => {
  describe('persistence', () => {
    it('keeps the tenant, devices and codes across a restart of the simulator', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'teams-gateway-'));
      const file = path.join(dir, 'lab.db');
      const first = await openTestLab({ file });
      first.teams.addDevices([{ macAddress: HW }], 'api');
      const { code } = first.teams.generateVerificationCode(HW);
      first.teams.updateUser('adele.vance@contoso.com', { mfa: true });
      await first.close();
      const second = await openTestLab({ file });
      expect(second.teams.device(HW)?.verificationCode?.code).toBe(code);
      expect(second.teams.user('adele.vance@contoso.com')?.mfa).toBe(true);
      expect(second.teams.enroll(HW, code, 'APAC')).toMatchObject({ ok: true });
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
