/** A lab for gateway stories: the lab, every device change it announced, and the steps most stories start with. */
import { afterEach, beforeEach, expect } from 'vitest';
import type { DeviceChange } from '../../../src/cloud/teams/gateway.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { HOUR, openTestLab } from '../../support/lab.ts';

export const DAY = 24 * HOUR;
/** A Rove 30 handset's IPEI and its Teams hardware id ("00" + IPEI, seed 000). */
export const IPEI = '0087654321';
export const HW = `00${IPEI}`;

export interface GatewayLab {
  readonly lab: Lab;
  /** Every change `lab.teams.onDeviceChange` announced since the lab opened. */
  readonly changes: DeviceChange[];
  /** Adds the handset (Waiting on activation). */
  addHandset(): void;
  /** Adds the handset and enrolls it with a fresh verification code through `region`'s gateway. */
  enrolled(region?: 'EMEA' | 'NOAM'): void;
}

/** Opens a default lab before each test and closes it after. */
export function useGatewayLab(): GatewayLab {
  let lab: Lab | undefined;
  let changes: DeviceChange[] = [];
  beforeEach(async () => {
    lab = await openTestLab();
    changes = [];
    lab.teams.onDeviceChange((c) => changes.push(c));
  });
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });
  const steps: GatewayLab = {
    get lab() {
      if (!lab) throw new Error('the gateway lab is open only inside a test');
      return lab;
    },
    get changes() {
      return changes;
    },
    addHandset() {
      const added = steps.lab.teams.addDevices([{ macAddress: HW, location: 'Warehouse, handset 1' }], 'api');
      expect(added.ok).toBe(true);
    },
    enrolled(region = 'EMEA') {
      steps.addHandset();
      const { code } = steps.lab.teams.generateVerificationCode(HW);
      expect(steps.lab.teams.enroll(HW, code, region)).toMatchObject({ ok: true });
    },
  };
  return steps;
}
