/**
 * `teams: { <action>: … }`: what the admin (Teams admin center, PowerShell) or the user does on the Teams side —
 * provision, generate a verification code, enroll, sign in, sign out, restart, bulk sign-in, trusted IPs, the bulk
 * sign-in switch, a user's attributes — then the lab settles. Each action is a row of the table below, keyed by its
 * key in the scenario file; the long ones (at the handset, or batch by batch) have modules of their own in teams/.
 */
import { formatHardwareId, hardwareIdForIpei } from '../../cloud/teams/devices/hardware-id.ts';
import type { TeamsAction } from '../scenario-types.ts';
import type { StepContext } from './step-context.ts';
import type { StepKind } from './step-kind.ts';
import { bulkSignIn } from './teams/bulk-sign-in.ts';
import { enroll } from './teams/enroll.ts';
import { signIn } from './teams/sign-in.ts';
import { TEAMS_ACTIONS, type TeamsActionOf, type TeamsKey } from './teams/teams-action.ts';

/** Rows per `addDevices` call. */
const PROVISION_ROWS_PER_CALL = 1000;

const TEAMS_ACTION_KINDS: { readonly [K in TeamsKey]: (action: TeamsActionOf<K>, ctx: StepContext) => Promise<void> | void } = {
  provision(action, ctx) {
    const { directory, lab } = ctx;
    const handsets = directory.selectHandsets(action.provision);
    for (let i = 0; i < handsets.length; i += PROVISION_ROWS_PER_CALL) {
      const rows = handsets
        .slice(i, i + PROVISION_ROWS_PER_CALL)
        .map((h) => ({ macAddress: formatHardwareId(hardwareIdForIpei(h.ipei)), location: action.location ?? directory.bases.get(h.baseId)!.site }));
      const result = lab.teams.addDevices(rows, 'api');
      if (!result.ok) for (const p of result.problems) ctx.fail(`Teams admin center adds ${p.macAddress ?? 'the devices'}`, `row ${p.row}: ${p.message}`);
    }
  },
  generateCode(action, ctx) {
    for (const h of ctx.directory.selectHandsets(action.generateCode)) {
      const hw = hardwareIdForIpei(h.ipei);
      ctx.codes.set(hw, ctx.lab.teams.generateVerificationCode(hw).code);
    }
  },
  enroll,
  signIn,
  signOut(action, { lab, directory }) {
    for (const h of directory.selectHandsets(action.signOut)) lab.teams.signOut(hardwareIdForIpei(h.ipei), 'admin-center');
  },
  restart(action, { lab, directory }) {
    for (const h of directory.selectHandsets(action.restart)) lab.teams.restart(hardwareIdForIpei(h.ipei));
  },
  bulkSignIn: (action, ctx) => bulkSignIn(action.bulkSignIn, ctx),
  trustedIps(action, { lab }) {
    lab.teams.setTrustedIps(action.trustedIps);
  },
  setBulkSignIn(action, { lab }) {
    lab.teams.setBulkSignIn(action.setBulkSignIn);
  },
  updateUser(action, { lab }) {
    const { upn, ...patch } = action.updateUser;
    lab.teams.updateUser(upn, patch as Parameters<typeof lab.teams.updateUser>[1]);
  },
};

export const teamsStep: StepKind<'teams'> = {
  async run(step, ctx) {
    const { lab } = ctx;
    const action = step.teams;
    const key = TEAMS_ACTIONS.find((k) => k in action);
    // The row for `key` takes an action that has that key, which this one does.
    if (key !== undefined) await (TEAMS_ACTION_KINDS[key] as (action: TeamsAction, ctx: StepContext) => Promise<void> | void)(action, ctx);
    await lab.settle();
  },
};
