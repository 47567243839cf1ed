/**
 * `rove-sim teams <cmdlet> [-Param value ...] [--server URL] [--json|-Json]`: a Teams PowerShell cmdlet against a
 * running simulator. Prints what PowerShell would (or the JSON), and fails with exit code 1 and the error text, as
 * `<cmdlet> : <message>` on stderr.
 */
import { CMDLETS, CmdletError, findCmdlet, type ApiCall } from './cmdlets.ts';
import { bindPowerShellArgs, PowerShellArgsError } from './powershell-args.ts';

export interface TeamsCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function defaultServer(): string {
  return `http://127.0.0.1:${process.env['PORT'] ?? 8080}`;
}

/** Takes `--server URL`/`--server=URL` and `--json`/`-Json` out of the cmdlet's arguments. */
export function splitCommonOptions(args: readonly string[]): { server: string | undefined; json: boolean; rest: string[] } {
  let server: string | undefined;
  let json = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--server' || a.toLowerCase() === '-server') server = args[++i];
    else if (a.startsWith('--server=')) server = a.slice('--server='.length);
    else if (a === '--json' || a.toLowerCase() === '-json') json = true;
    else rest.push(a);
  }
  return { server, json, rest };
}

export function httpApi(server: string): ApiCall {
  return async (method, path, body) => {
    let res: Response;
    try {
      res = await fetch(new URL(path, server), {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // The simulator's access token (rove-sim start --api-token), when it has one.
          ...(process.env['ROVE_API_TOKEN'] ? { authorization: `Bearer ${process.env['ROVE_API_TOKEN']}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new CmdletError(`cannot reach the simulator at ${server} (${(err as Error).message}); start it with "rove-sim start" or pass --server`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new CmdletError((json as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`);
    return json;
  };
}

/** Runs one cmdlet; resolves to the process exit code. */
export async function runTeamsCmdlet(name: string, args: readonly string[], io: TeamsCommandIo, api?: ApiCall): Promise<number> {
  const { server, json, rest } = splitCommonOptions(args);
  const cmdlet = findCmdlet(name);
  if (!cmdlet) {
    io.stderr(
      `${name} : The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCmdlets of this simulator: ${CMDLETS.map((c) => c.name).join(', ')}\n`,
    );
    return 1;
  }
  try {
    const { values, parameterSet } = bindPowerShellArgs(rest, cmdlet);
    const result = await cmdlet.run(values, api ?? httpApi(server ?? defaultServer()), parameterSet);
    if (json) {
      if (result.value !== undefined) io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
    } else io.stdout(result.text);
    return 0;
  } catch (err) {
    if (err instanceof CmdletError || err instanceof PowerShellArgsError) {
      io.stderr(`${cmdlet.name} : ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
