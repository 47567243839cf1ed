/**
 * `rove-sim console <IPEI>`: a handset in the terminal. Draws the screen from the console WebSocket and sends keys.
 *
 * In a terminal it reads single key presses (same shortcuts as the browser page); with piped input it reads lines,
 * each one a key string (`0000{ok}`), so scripts can drive a handset too.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { HandsetView } from '../devices/handset/handset.ts';
import type { ServerFrame } from '../http/console/console-protocol.ts';

export interface TerminalConsoleOptions {
  /** Main server URL, e.g. http://127.0.0.1:8080 */
  server: string;
  ipei: string;
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

/** Terminal key → handset key (docs/console-protocol.md). */
const SEQUENCES: Readonly<Record<string, string>> = {
  '\r': '{ok}',
  '\n': '{ok}',
  '\u001b[A': '{up}',
  '\u001b[B': '{down}',
  '\u001b[C': '{right}',
  '\u001b[D': '{left}',
  '\u001bOP': '{soft1}',
  '\u001bOQ': '{soft2}',
  '[': '{soft1}',
  ']': '{soft2}',
  g: '{green}',
  r: '{red}',
  '\u001b': '{red}',
  p: '{red-long}',
  m: '{menu}',
};

const TONES: Readonly<Record<string, string>> = {
  'three-busy': 'three busy tones',
  busy: 'busy tone',
  confirmation: 'confirmation tone',
  error: 'error tone',
  'out-of-range': 'out-of-range tone',
};

export function renderScreen(view: HandsetView, lastTone: string): string {
  const width = Math.max(20, ...view.display.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  const lines = view.display.map((l) => `│ ${l.padEnd(width)} │`);
  return [
    `${view.model}  IPEI ${view.ipei}  fw ${view.firmware}  ${view.state}${view.baseMac ? `  base ${view.baseMac}/${view.slot}` : ''}`,
    `LED: ${view.leds.status}${lastTone ? `   ♪ ${lastTone}` : ''}`,
    `┌${bar}┐`,
    ...lines,
    `└${bar}┘`,
    'keys: 0-9 * #  Enter=OK  arrows  [ ]=soft keys  g=green  r/Esc=red  p=power  m=menu  q=quit',
  ].join('\n');
}

export function runTerminalConsole(options: TerminalConsoleOptions): Promise<number> {
  const url = `${options.server.replace(/^http/, 'ws').replace(/\/+$/, '')}/consoles/${encodeURIComponent(options.ipei)}`;
  const interactive = Boolean(options.input.isTTY);
  const out = options.output;
  let lastTone = '';
  let lastView: HandsetView | undefined;
  const draw = () => {
    if (!lastView) return;
    out.write(`${interactive ? '\u001b[2J\u001b[H' : '\n'}${renderScreen(lastView, lastTone)}\n`);
  };

  return new Promise((resolve) => {
    // The simulator's access token (rove-sim start --api-token), when it has one.
    const token = process.env['ROVE_API_TOKEN'];
    const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    let exitCode = 0;
    const finish = (code: number) => {
      exitCode = code;
      if (interactive && options.input.setRawMode) options.input.setRawMode(false);
      options.input.pause();
      socket.close();
    };
    socket.on('error', (err) => {
      if (/Unexpected server response: 401/.test(err.message)) {
        out.write(
          `rove-sim console: ${url} needs the simulator's access token: ${token ? 'ROVE_API_TOKEN is not the one it was started with' : 'set ROVE_API_TOKEN to the --api-token given to rove-sim start'}.\n`,
        );
        exitCode = 1;
        return;
      }
      out.write(`rove-sim console: cannot reach ${url}: ${err.message}\nIs the simulator running (npm start)?\n`);
      exitCode = 1;
    });
    socket.on('close', (code) => {
      if (code === 4404) exitCode = 1;
      resolve(exitCode);
    });
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'view') {
        lastView = frame.view;
        draw();
      } else if (frame.type === 'tone') {
        lastTone = TONES[frame.tone] ?? '';
        if (lastTone) draw();
      } else if (frame.type === 'error') {
        out.write(`! ${frame.message}\n`);
      }
    });
    const send = (keys: string) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'keys', keys }));
    };
    socket.on('open', () => {
      if (interactive) {
        options.input.setRawMode?.(true);
        options.input.resume();
        options.input.on('data', (chunk: Buffer) => {
          const s = chunk.toString();
          if (s === 'q' || s === '\u0003') return finish(0);
          const key = /^[0-9*#]$/.test(s) ? s : SEQUENCES[s];
          if (key) send(key);
        });
      } else {
        const lines = createInterface({ input: options.input });
        lines.on('line', (line) => {
          const keys = line.trim();
          if (keys === 'quit' || keys === 'q') finish(0);
          else if (keys) send(keys);
        });
        // Piped input ended: give the last screen update a moment to arrive, then leave.
        lines.on('close', () => setTimeout(() => finish(exitCode), 500));
      }
    });
  });
}
