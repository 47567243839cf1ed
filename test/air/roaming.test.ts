import { afterEach, describe, expect, it } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { syncStates, threeBaseSystem } from '../devices/base-station/multi-cell-steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import { registerHandset, waitForBootedLab } from '../devices/handset/steps.ts';

describe('Multi-cell: a handset registered once roams between the bases of its system', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  /**
   * Primary and first secondary in the office, second secondary in the warehouse; two handsets registered on the
   * primary in the office.
   */
  async function building() {
    lab = await openTestLab();
    const handsets = [...lab.handsets.values()].slice(0, 2) as [Handset, Handset];
    const { primary, secondaries } = await threeBaseSystem(lab);
    const [office, warehouse] = secondaries as [BaseStation, BaseStation];
    lab.placeBase(warehouse.mac, 'warehouse');
    await waitForBootedLab(lab, primary, ...handsets);
    await registerHandset(lab, primary, handsets[0], 1);
    await registerHandset(lab, primary, handsets[1], 2);
    return { primary, office, warehouse, handsets };
  }

  it('subscriptions live on the primary; a secondary lists the system once in the Register list and refuses Register itself', async () => {
    const { primary, office, warehouse, handsets } = await building();
    expect(primary.subscriptions.map((s) => s.ipei)).toEqual(handsets.map((h) => h.ipei));
    expect(office.subscriptions).toEqual([]);
    expect(handsets.map((h) => [h.state, h.view().baseMac, lab.radio.cellOf(h.ipei)])).toEqual([
      ['in-service', primary.mac, primary.mac],
      ['in-service', primary.mac, primary.mac],
    ]);
    expect(() => warehouse.openRegistration(3)).toThrow(/secondary of multi-cell chain 512: handsets are registered on the primary/);
  });

  it('carried to the warehouse, a handset stays in service on the secondary there, and back in the office', async () => {
    const { primary, warehouse, handsets } = await building();
    const [walker] = handsets;

    walker.moveTo('warehouse');
    expect(walker.state).toBe('in-service');
    expect(lab.radio.cellOf(walker.ipei)).toBe(warehouse.mac);
    expect(lab.radio.chain(primary.mac).find((r) => r.mac === warehouse.mac)?.handsets).toEqual([walker.ipei]);

    walker.moveTo('default');
    expect(walker.state).toBe('in-service');
    expect(lab.radio.cellOf(walker.ipei)).toBe(primary.mac);
  });

  it("a secondary's reboot affects only its cell: its handsets roam to a base in range, or are out of range if none is", async () => {
    const { primary, office, warehouse, handsets } = await building();
    const [inWarehouse, inOffice] = handsets;
    inWarehouse.moveTo('warehouse');
    lab.placeBase(primary.mac, 'reception');
    await lab.clock.advanceUntil(() => inOffice.state === 'in-service' && lab.radio.cellOf(inOffice.ipei) === office.mac, MINUTE);

    office.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    expect(inOffice.state).toBe('out-of-range');
    expect(inWarehouse.state).toBe('in-service');

    warehouse.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    expect(inWarehouse.state).toBe('out-of-range');
    lab.placeBase(primary.mac, 'default');
    await lab.clock.advanceUntil(() => inOffice.state === 'in-service', MINUTE);
    expect(lab.radio.cellOf(inOffice.ipei)).toBe(primary.mac);

    await lab.clock.advanceUntil(() => inWarehouse.state === 'in-service', 10 * MINUTE);
    expect(lab.radio.cellOf(inWarehouse.ipei)).toBe(warehouse.mac);
    expect(syncStates(lab, primary)).toEqual(['Locked', 'Locked', 'Locked']);
  });

  it('a secondary handset roams to another secondary in range without losing service', async () => {
    const { primary, office, handsets } = await building();
    const [desk] = handsets;
    lab.placeBase(primary.mac, 'reception');
    await lab.clock.advanceUntil(() => desk.state === 'in-service', MINUTE);
    expect(lab.radio.cellOf(desk.ipei)).toBe(office.mac);
    lab.placeBase(primary.mac, 'default');

    office.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    expect(desk.state).toBe('in-service');
    expect(lab.radio.cellOf(desk.ipei)).toBe(primary.mac);
  });

  it('a reboot of the primary (the DECT server) takes the whole system down, and every handset comes back', async () => {
    const { primary, warehouse, handsets } = await building();
    const [inWarehouse, inOffice] = handsets;
    inWarehouse.moveTo('warehouse');
    expect(lab.radio.cellOf(inWarehouse.ipei)).toBe(warehouse.mac);

    primary.send({ type: 'FORCED_REBOOT', reason: 'FORCED REBOOT (web admin)' });
    expect(handsets.map((h) => h.state)).toEqual(['searching', 'searching']);
    expect(lab.radio.chain(primary.mac).map((r) => r.problem)).toEqual([null, 'The primary (DECT server) is down', 'The primary (DECT server) is down']);
    await lab.clock.advance(11_000);
    expect(syncStates(lab, primary)).toEqual(['Unknown', 'Free running', 'Free running']);

    await lab.clock.advanceUntil(() => handsets.every((h) => h.state === 'in-service'), 10 * MINUTE);
    expect(syncStates(lab, primary)).toEqual(['Locked', 'Locked', 'Locked']);
    expect(lab.radio.cellOf(inWarehouse.ipei)).toBe(warehouse.mac);
    expect(lab.radio.cellOf(inOffice.ipei)).toBe(primary.mac);
  });
});
