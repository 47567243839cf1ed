/**
 * Cuts a byte stream (TCP) into SIP messages (RFC 3261 §18.3): header section up to the blank line, then exactly
 * Content-Length bytes of body. CRLF keep-alives between messages are skipped (RFC 5626 §3.5.1).
 *
 * A stream whose framing cannot be trusted any more (header section too large, unreadable Content-Length, body too
 * large) yields a fatal problem: the listener answers what it can and closes the connection. A message without
 * Content-Length is taken as having no body and reported, so the server can answer 400.
 */

export type Frame =
  | { kind: 'message'; text: string }
  | { kind: 'problem'; problem: string; status: 400 | 513; fatal: boolean; text: string };

export interface FramerLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

const BLANK_LINE = Buffer.from('\r\n\r\n');
/** A header section ended by bare LFs (RFC 3261 §7.5 asks for CRLF, but accepts LF on reading): answered too. */
const BARE_LF_BLANK_LINE = Buffer.from('\n\n');

/** Where the header section ends and how long the blank line is, whichever line end the peer uses. */
function headerEnd(buffer: Buffer): { end: number; blank: number } | undefined {
  const crlf = buffer.indexOf(BLANK_LINE);
  const lf = buffer.indexOf(BARE_LF_BLANK_LINE);
  if (crlf === -1 && lf === -1) return undefined;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { end: crlf, blank: BLANK_LINE.length };
  return { end: lf, blank: BARE_LF_BLANK_LINE.length };
}

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly limits: FramerLimits) {}

  get isBroken(): boolean {
    return this.broken;
  }

  push(chunk: Buffer): Frame[] {
    if (this.broken) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      this.skipKeepAlives();
      if (this.buffer.length === 0) break;
      const found = headerEnd(this.buffer);
      if (found === undefined) {
        if (this.buffer.length > this.limits.maxHeaderBytes) {
          frames.push(this.fatal(`Header section larger than ${this.limits.maxHeaderBytes} bytes`, 513, this.buffer.subarray(0, 4096)));
        }
        break;
      }
      const { end, blank } = found;
      if (end > this.limits.maxHeaderBytes) {
        frames.push(this.fatal(`Header section larger than ${this.limits.maxHeaderBytes} bytes`, 513, this.buffer.subarray(0, end)));
        break;
      }
      const head = this.buffer.subarray(0, end).toString('utf8');
      const declared = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)$/im.exec(head)?.[1]?.trim();
      if (declared === undefined) {
        const text = head + '\r\n\r\n';
        this.buffer = this.buffer.subarray(end + blank);
        frames.push({ kind: 'problem', problem: 'Missing Content-Length (required on TCP)', status: 400, fatal: false, text });
        continue;
      }
      if (!/^\d{1,9}$/.test(declared)) {
        frames.push(this.fatal('Bad Content-Length header', 400, this.buffer.subarray(0, end)));
        break;
      }
      const length = Number(declared);
      if (length > this.limits.maxBodyBytes) {
        frames.push(this.fatal(`Body larger than ${this.limits.maxBodyBytes} bytes`, 513, this.buffer.subarray(0, end)));
        break;
      }
      const total = end + blank + length;
      if (this.buffer.length < total) break;
      frames.push({ kind: 'message', text: this.buffer.subarray(0, total).toString('utf8') });
      this.buffer = this.buffer.subarray(total);
    }
    return frames;
  }

  private skipKeepAlives(): void {
    let i = 0;
    while (i < this.buffer.length && (this.buffer[i] === 0x0d || this.buffer[i] === 0x0a)) i++;
    if (i > 0) this.buffer = this.buffer.subarray(i);
  }

  private fatal(problem: string, status: 400 | 513, head: Buffer): Frame {
    this.broken = true;
    this.buffer = Buffer.alloc(0);
    return { kind: 'problem', problem, status, fatal: true, text: head.toString('utf8') + '\r\n\r\n' };
  }
}
