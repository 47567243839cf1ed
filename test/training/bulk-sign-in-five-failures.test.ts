/**
 * Exercise (f), fixtures/exercises/bulk-sign-in-five-failures.yaml: a bulk sign-in whose CSV had five rows fail for
 * five documented reasons; the trainee fixes the accounts and the device in the Teams admin center and the user name
 * in the file, and resubmits the failed rows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BULK_ERRORS } from '../../src/cloud/teams/bulk/bulk-errors.ts';
import { type ExerciseWorld, failTexts, openExercise, outcome } from './exercise-world.ts';
import { AdminCenter } from './technician.ts';

/** The five failed rows of rollout.csv, each fixed: the kitchen's user name as the tenant has it. */
const FIXED_ROWS = [
  'Username,HardwareId',
  'warehouse.dect2@contoso.com,00-03-28-D8-70-6C',
  'kitchen.dect@contoso.com,00-03-28-DF-B2-62',
  'loading.dock@contoso.com,00-03-28-DF-7E-79',
  'canteen.dect@contoso.com,00-03-28-D4-7F-66',
  'store.room@contoso.com,00-03-28-D9-CE-30',
].join('\n');

describe('Exercise: bulk sign-in with five failed rows', () => {
  let world: ExerciseWorld | undefined;
  let tac: AdminCenter | undefined;
  afterEach(async () => {
    await tac?.close();
    await world?.close();
    world = tac = undefined;
  });

  async function open(seed = 1) {
    world = await openExercise('bulk-sign-in-five-failures.yaml', seed);
    tac = await AdminCenter.open(world.lab);
    return { world, tac };
  }

  /** The admin center fixes: the three accounts (Users) and the store room handset (Provision devices). */
  async function fixInAdminCenter(tac: AdminCenter) {
    await tac.saveUser('warehouse.dect2@contoso.com', { ipPhonePolicy: 'CommonAreaPhone' });
    await tac.saveUser('loading.dock@contoso.com', { phoneNumber: '+14255550302' });
    await tac.saveUser('canteen.dect@contoso.com', { callingPolicy: 'SIPDevices' });
    await tac.addDevice('00-03-28-D9-CE-30');
  }

  it("the briefing's export is the lab's first run, as the tool's Export writes it: five rows failed, each for another of the service's errors", async () => {
    const { world } = await open(2);
    const [first] = world.lab.teams.bulk.summary();
    const rows = world.lab.teams.bulk.status(first!.BatchId).BatchItem;
    // The tool's Export (web/teams/bulk-sign-in.js, docs/bulk-sign-in.md): Username,HardwareId,Status,Error.
    const exported = ['Username,HardwareId,Status,Error', ...rows.map((r) => `${r.UserName},${r.HardwareId},${r.Status},${r.Error ?? ''}`)];
    expect(world.exercise.briefing).toContain(`\n${exported.join('\n')}\n`);
    const errors = rows.filter((r) => r.Status === 'failed').map((r) => r.Error);
    expect(errors).toEqual([BULK_ERRORS.NO_CAP_POLICY, BULK_ERRORS.USER_NOT_FOUND, BULK_ERRORS.NO_PHONE_NUMBER, BULK_ERRORS.NO_SIP_CALLING_POLICY, BULK_ERRORS.DEVICE_NOT_FOUND]);
    // The briefing's rollout.csv is the file that was run.
    for (const r of rows) expect(world.exercise.briefing).toContain(`\n${r.UserName},${r.HardwareId}\n`);
  });

  it('nothing done: every task fails with its text, the five rows each with its error', async () => {
    const { world } = await open();
    const grade = await world.grade();
    expect(outcome(grade)).toEqual([
      ['csv-or-admin-center', 'failed', 'Not done yet.'],
      ['store-room-device', 'failed', 'The admin center still has no record of the store room handset (Device not found in records.).'],
      ['resubmit', 'failed', 'The newest bulk sign-in batch still has failed rows.'],
      ['all-signed-in', 'failed', 'Not every handset is signed in as its account.'],
    ]);
    expect(grade.tasks[2]!.checks[0]!.actual).toContain('failed: succeeded 2, failed 5');
    expect(failTexts(grade, 'all-signed-in')).toEqual([
      'Warehouse 2 is not signed in as warehouse.dect2@contoso.com (User missing CAP policy assignment.).',
      'The kitchen handset is not signed in as kitchen.dect@contoso.com (User not found in tenant.).',
      'The loading dock handset is not signed in as loading.dock@contoso.com (User missing phone number assignment.).',
      'The canteen handset is not signed in as canteen.dect@contoso.com (User missing AllowSIPDevicesCalling policy assignment).',
      'The store room handset is not signed in as store.room@contoso.com (Device not found in records.).',
    ]);
  });

  it('the whole file run again unchanged: the same five errors, and the two signed-in rows fail too', async () => {
    const { world, tac } = await open();
    const rollout = /```\n(Username,HardwareId\n[\s\S]*?)```/.exec(world.exercise.briefing)![1]!;
    await tac.bulkSignIn(rollout);
    const grade = await world.grade();
    expect(outcome(grade)[2]).toEqual(['resubmit', 'failed', 'The newest bulk sign-in batch still has failed rows.']);
    expect(failTexts(grade, 'resubmit')).toEqual(['The newest batch did not sign in all its rows (read each row\'s Error in the tool).']);
    const [newest] = world.lab.teams.bulk.summary();
    expect(world.lab.teams.bulk.status(newest!.BatchId).BatchItem.map((r) => r.Error)).toEqual([
      BULK_ERRORS.ALREADY_SIGNED_IN,
      BULK_ERRORS.ALREADY_SIGNED_IN,
      BULK_ERRORS.NO_CAP_POLICY,
      BULK_ERRORS.USER_NOT_FOUND,
      BULK_ERRORS.NO_PHONE_NUMBER,
      BULK_ERRORS.NO_SIP_CALLING_POLICY,
      BULK_ERRORS.DEVICE_NOT_FOUND,
    ]);
  });

  it('the fixed rows resubmitted without the admin center fixes: only the kitchen row signs in', async () => {
    const { world, tac } = await open();
    await tac.bulkSignIn(FIXED_ROWS);
    const grade = await world.grade([], { 'csv-or-admin-center': '2' });
    expect(outcome(grade).map(([id, status]) => [id, status])).toEqual([
      ['csv-or-admin-center', 'passed'],
      ['store-room-device', 'failed'],
      ['resubmit', 'failed'],
      ['all-signed-in', 'failed'],
    ]);
    expect(grade.tasks[2]!.checks[0]!.actual).toBe(
      `failed: succeeded 1, failed 4 ("${BULK_ERRORS.NO_CAP_POLICY}" 1, "${BULK_ERRORS.NO_PHONE_NUMBER}" 1, "${BULK_ERRORS.NO_SIP_CALLING_POLICY}" 1, "${BULK_ERRORS.DEVICE_NOT_FOUND}" 1)`,
    );
  });

  it('the admin center fixed but the kitchen row resubmitted as it was: four sign in, the kitchen says why it did not', async () => {
    const { world, tac } = await open();
    await fixInAdminCenter(tac);
    await tac.bulkSignIn(FIXED_ROWS.replace('kitchen.dect@contoso.com', 'kitchen.dect@contoso.co'));
    const grade = await world.grade();
    expect(grade.tasks[2]!.checks[0]!.actual).toBe(`failed: succeeded 4, failed 1 ("${BULK_ERRORS.USER_NOT_FOUND}" 1)`);
    expect(grade.tasks[3]!.status).toBe('failed');
    expect(failTexts(grade, 'all-signed-in')).toEqual(['The kitchen handset is not signed in as kitchen.dect@contoso.com (User not found in tenant.).']);
  });

  it('every fix made and the five rows resubmitted: all rows succeed and every task passes', async () => {
    const { world, tac } = await open();
    await fixInAdminCenter(tac);
    await tac.bulkSignIn(FIXED_ROWS);
    const grade = await world.grade([], { 'csv-or-admin-center': 'kitchen.dect@contoso.co (User not found in tenant.)' });
    expect(outcome(grade)).toEqual([
      ['csv-or-admin-center', 'passed', 'Right: the tenant has kitchen.dect@contoso.com; the file says contoso.co.'],
      ['store-room-device', 'passed', 'The admin center lists the store room handset.'],
      ['resubmit', 'passed', 'The newest bulk sign-in batch has no failed rows.'],
      ['all-signed-in', 'passed', 'All seven handsets are signed in as their common area phone accounts.'],
    ]);
    expect(grade.score).toBe(70);
    const [newest] = world.lab.teams.bulk.summary();
    expect(world.lab.teams.bulk.status(newest!.BatchId).BatchItem.map((r) => r.Status)).toEqual(['success', 'success', 'success', 'success', 'success']);
  });
});
