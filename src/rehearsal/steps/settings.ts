/**
 * `settings: { bases, values }`: saves the values on each selected base's web admin, bases side by side; a base
 * whose web admin does not answer within 10 min, or that refuses a value, is a failure.
 */
import { substitute } from './step-context.ts';
import type { StepKind } from './step-kind.ts';

const WEB_ADMIN_WAIT_MS = 10 * 60_000;

export const settingsStep: StepKind<'settings'> = {
  async run(step, ctx) {
    const { lab, directory, driver } = ctx;
    const values = Object.fromEntries(Object.entries(step.settings.values).map(([k, v]) => [k, substitute(String(v), lab)]));
    const bases = directory.selectBases(step.settings.bases);
    await driver.run(
      bases.map((b) => async () => {
        const base = lab.bases.get(b.mac)!;
        if (!(await driver.until(() => base.reachable, WEB_ADMIN_WAIT_MS))) {
          ctx.fail(`web admin of ${b.id} saves settings`, `the base is ${base.state}: its web admin does not answer`);
          return;
        }
        const checked = base.updateSettings(values);
        if (!checked.ok) ctx.fail(`web admin of ${b.id} accepts the settings`, checked.errors.map((e) => e.message).join('; '));
      }),
    );
  },
};
