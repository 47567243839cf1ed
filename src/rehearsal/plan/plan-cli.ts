/**
 * `rove-sim plan`: the rollout plan before it runs. `plan check SCENARIO` is the pre-flight (plan-check.ts);
 * `plan import INVENTORY.csv` turns a company's inventory into a scenario or a lab file (inventory-import.ts).
 * Registered on the main program by src/cli/main.ts; each command loads what it needs when it runs.
 */
import { InvalidArgumentError, type Command } from 'commander';

export function registerPlanCommands(program: Command): void {
  const plan = program.command('plan').description('a rollout plan before it runs: import an inventory, check a scenario');
  plan
    .command('import')
    .description("turn a company's inventory CSV (site, base, MAC, handset, IPEI, user, number…; docs/scenarios.md) into a scenario that rehearses the guide's rollout on those devices")
    .argument('<inventory>', 'inventory CSV, a header line first')
    .option('--out <file>', 'write the scenario here (default: print it)')
    .option('--lab <file>', 'also build the lab in this lab file, to start it with rove-sim start --lab')
    .option('--name <name>', "the scenario's name")
    .option('--region <region>', 'Teams region of the devices: NOAM, EMEA or APAC', (v: string) => {
      const r = v.toUpperCase();
      if (r !== 'NOAM' && r !== 'EMEA' && r !== 'APAC') throw new InvalidArgumentError('NOAM, EMEA or APAC');
      return r;
    })
    .action(async (file: string, o: { out?: string; lab?: string; name?: string; region?: 'NOAM' | 'EMEA' | 'APAC' }) => {
      const { readFileSync, writeFileSync } = await import('node:fs');
      const { basename } = await import('node:path');
      const { importInventory, InventoryError } = await import('./inventory-import.ts');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`${basename(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n`);
        process.exitCode = 2;
        return;
      }
      let result;
      try {
        result = importInventory(text, { file: basename(file), ...(o.name ? { name: o.name } : {}), ...(o.region ? { region: o.region } : {}) });
      } catch (err) {
        if (!(err instanceof InventoryError)) throw err;
        process.stderr.write(`${err.message}\n${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}; nothing written.\n`);
        process.exitCode = 2;
        return;
      }
      const { sites, bases, handsets, users } = result.counts;
      const summary = `${sites} site${sites === 1 ? '' : 's'}, ${bases} base${bases === 1 ? '' : 's'}, ${handsets} handset${handsets === 1 ? '' : 's'}, ${users} user${users === 1 ? '' : 's'}`;
      if (o.out) {
        writeFileSync(o.out, result.text);
        process.stderr.write(`Scenario written to ${o.out} (${summary}). Next: rove-sim plan check ${o.out}, then rove-sim rehearse ${o.out}\n`);
      } else process.stdout.write(result.text);
      if (o.lab) {
        const { buildLab, DEFAULT_SEED } = await import('../build-lab.ts');
        const built = await buildLab(result.scenario, { seed: result.scenario.seed ?? DEFAULT_SEED, file: o.lab, madeBy: 'plan-import' });
        await built.lab.close();
        process.stderr.write(`Lab written to ${o.lab} (${summary}, factory state). Start it: rove-sim start --lab ${o.lab}\n`);
      }
    });
  plan
    .command('check')
    .description('list every problem of a scenario for every user and device before running it (exit 1: errors found)')
    .argument('<scenario>', 'scenario file (YAML or JSON; docs/scenarios.md)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { loadScenarioFile, refusedText, ScenarioError } = await import('../scenario-loader.ts');
      let scenario;
      try {
        scenario = loadScenarioFile(file);
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        process.stderr.write(refusedText(err, 'nothing checked further'));
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
