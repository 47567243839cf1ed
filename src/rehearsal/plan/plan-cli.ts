/**
 * `rove-sim plan`: the rollout plan before it runs. `plan check SCENARIO` is the pre-flight (plan-check.ts);
 * `plan import INVENTORY.csv` turns a company's inventory into a scenario or a lab file (inventory-import.ts).
 * Registered on the main program by src/cli/main.ts; each command loads what it needs when it runs.
 */
import type { Command } from 'commander';

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('a rollout plan before it runs: import an inventory, check a scenario');
  plan
    .command('check')
    .description('list every problem of a scenario for every user and device before running it (exit 1: errors found)')
    .argument('<scenario>', 'scenario file (YAML or JSON; docs/scenarios.md)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { loadScenarioFile, ScenarioError } = await import('../scenario-loader.ts');
      let scenario;
      try {
        scenario = loadScenarioFile(file);
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const { checkPlan } = await import('./plan-check.ts');
      const result = await checkPlan(scenario);
      if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const { formatPlanCheck } = await import('./plan-check-text.ts');
        process.stdout.write(`${formatPlanCheck(result).join('\n')}\n`);
      }
      process.exitCode = result.errors > 0 ? 1 : 0;
    });
}
