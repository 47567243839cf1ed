/**
 * The line's real address in its SIP messages, on socket transports (UDP, TCP, TLS).
 *
 * sip.js writes a fixed host (the line's `viaHost`, `<device>.rove.invalid`) in its top Via and its Contact, and drops
 * any response whose top Via is not exactly that host without a port (its RFC 3261 §18.1.2 check). A real server needs
 * the socket's own address there: over UDP it answers to the Via sent-by (and `rport`, RFC 3581), and it sends calls to
 * the Contact. So the socket transports put the socket's local address in on the way out and the placeholder back on
 * the way in; sip.js never sees the difference.
 *
 * ```text
 *   out: Via: SIP/2.0/UDP 0004f2a00001.rove.invalid;branch=…   ─▶  Via: SIP/2.0/UDP 127.0.0.1:40112;branch=…;rport
 *        Contact: <sip:1001-0004f2a00001@0004f2a00001.rove.invalid;transport=udp>  ─▶  …@127.0.0.1:40112;transport=udp>
 *   in:  SIP/2.0 200 OK + Via: SIP/2.0/UDP 127.0.0.1:40112;branch=…;rport=40112;received=127.0.0.1
 *                                                                 ─▶  Via: SIP/2.0/UDP 0004f2a00001.rove.invalid;branch=…
 * ```
 */

export interface SentBy {
  /** The host sip.js writes (`viaHost`). */
  placeholder: string;
  /** The socket's local address and port. */
  host: string;
  port: number;
}

const HEADER_END = /\r?\n\r?\n/;

/** `[v6]:port` or `v4:port`. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function splitHead(message: string): { head: string[]; rest: string } {
  const match = HEADER_END.exec(message);
  const end = match ? match.index : message.length;
  return { head: message.slice(0, end).split(/\r?\n/), rest: message.slice(end) };
}

function isResponse(message: string): boolean {
  return message.startsWith('SIP/2.0 ');
}

const VIA_LINE = /^(via|v)[ \t]*:/i;
const CONTACT_LINE = /^(contact|m)[ \t]*:/i;

/** The message as it goes on the wire: the socket's address in our own top Via (requests) and in every Contact. */
export function toWire(message: string, sentBy: SentBy): string {
  const { head, rest } = splitHead(message);
  const real = hostPort(sentBy.host, sentBy.port);
  const request = !isResponse(message);
  let viaDone = !request;
  for (let i = 1; i < head.length; i++) {
    const line = head[i]!;
    if (!viaDone && VIA_LINE.test(line)) {
      viaDone = true;
      const at = line.indexOf(` ${sentBy.placeholder}`);
      if (at === -1) continue;
      let rewritten = line.slice(0, at + 1) + real + line.slice(at + 1 + sentBy.placeholder.length);
      const firstValue = rewritten.split(',')[0]!;
      if (!/;rport(?=[;,\s=]|$)/i.test(firstValue)) rewritten = rewritten.replace(firstValue, `${firstValue};rport`);
      head[i] = rewritten;
    } else if (CONTACT_LINE.test(line)) {
      head[i] = line.split(`@${sentBy.placeholder}`).join(`@${real}`);
    }
  }
  return head.join('\r\n') + rest;
}

/** The message as sip.js expects it: its placeholder back in the top Via and the Contacts of a response. */
export function fromWire(message: string, sentBy: SentBy): string {
  if (!isResponse(message)) return message;
  const { head, rest } = splitHead(message);
  const real = hostPort(sentBy.host, sentBy.port);
  let viaDone = false;
  for (let i = 1; i < head.length; i++) {
    const line = head[i]!;
    if (!viaDone && VIA_LINE.test(line)) {
      viaDone = true;
      const match = /^([^:]*:[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+)(\S+?)(?=[;,\s]|$)/i.exec(line);
      if (match && match[2]!.toLowerCase() === real.toLowerCase()) {
        head[i] = match[1] + sentBy.placeholder + line.slice(match[0].length);
      }
    } else if (CONTACT_LINE.test(line)) {
      // A registrar lists our binding as we sent it; sip.js looks for its own Contact there (RFC 3261 §10.2.4).
      head[i] = line.split(`@${real}`).join(`@${sentBy.placeholder}`);
    }
  }
  return head.join('\r\n') + rest;
}
