import type { Clock } from '../../src/kernel/virtual-clock.ts';
import { md5 } from '../../src/sip/server/digest.ts';
import { type Flow, type FlowTransport, newFlowId } from '../../src/sip/server/flow.ts';
import type { SipServer } from '../../src/sip/server/sip-server.ts';
import { canonicalName, headerValue, headerValues, splitList, splitSip } from '../../src/sip/server/sip-text.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

// Lines and servers built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

export interface Answer {
  status: number;
  reason: string;
  header(name: string): string | undefined;
  headers(name: string): string[];
  text: string;
}

/**
 * Reads an answer of the server. Error answers echo the request's headers as received (RFC 3261 §8.2.6), broken
 * ones included, so this reads leniently rather than with sip.js's parser.
 */
export function parseAnswer(text: string): Answer {
  const split = splitSip(text);
  const status = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(split?.startLine ?? '');
  if (!split || !status) throw new Error(`not a SIP response:\n${text}`);
  return {
    status: Number(status[1]),
    reason: status[2] ?? '',
    header: (name) => headerValue(split, name),
    headers: (name) => headerValues(split, name).flatMap((v) => (canonicalName(name) === 'contact' ? splitList(v) : [v])),
    text,
  };
}

/** A peer on a fake socket: what it sends goes straight to the server, what the server sends is collected. */
export function rawPeer(server: SipServer, clock: Clock, transport: FlowTransport = 'UDP', port = 5099) {
  const sent: string[] = [];
  const flow: Flow = { id: newFlowId(), transport, remote: `${transport.toLowerCase()}:127.0.0.1:${port}`, clock, open: true, send: (t) => sent.push(t) };
  let cseq = 1;
  let branch = 1;
  return {
    flow,
    sent,
    /** Sends text as is; returns the answers it produced. */
    send(text: string): Answer[] {
      const before = sent.length;
      server.receive(text, flow);
      return sent.slice(before).map(parseAnswer);
    },
    /** A well-formed request with the given headers (defaults fill the rest). */
    request(method: string, uri: string, headers: Record<string, string | null> = {}, body = ''): string {
      const base: Record<string, string | null> = {
        Via: `SIP/2.0/${transport === 'MEM' ? 'WS' : transport} 127.0.0.1:5099;branch=z9hG4bK-test-${branch++};rport`,
        'Max-Forwards': '70',
        From: '<sip:1001@sip.lab.test>;tag=peer1',
        To: '<sip:1001@sip.lab.test>',
        'Call-ID': 'raw-call-1',
        CSeq: `${cseq++} ${method}`,
        ...headers,
      };
      const lines = [`${method} ${uri} SIP/2.0`];
      for (const [name, value] of Object.entries(base)) if (value !== null) lines.push(`${name}: ${value}`);
      lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
      return lines.join('\r\n') + '\r\n\r\n' + body;
    },
  };
}

let cnonces = 0;

/** The Authorization value a client computes for a challenge (RFC 2617, qop=auth). */
export function digestAnswer(challenge: string, user: string, password: string, method: string, uri: string, realm = 'sip.lab.test'): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const nc = '00000001';
  // A fresh client nonce per answer, as clients make them: the server treats the same nonce, user, cnonce and count
  // seen again as a replay.
  const cnonce = `c${(++cnonces).toString(16)}`;
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}

/** A UDP peer on its own port (its own flow, its own transaction keys) that can REGISTER with digest. */
export function udpPeerOn(server: SipServer, clock: Clock, port: number, password: string) {
  const peer = rawPeer(server, clock, 'UDP', port);
  let branch = 1;
  const via = () => `SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-p${port}-${branch++};rport`;
  /** REGISTER `extension` with these contacts, answering the challenge; returns the final answer's text too. */
  function register(extension: string, contacts: string[]) {
    const headers = { Via: via(), To: `<sip:${extension}@sip.lab.test>`, From: `<sip:${extension}@sip.lab.test>;tag=p${port}`, 'Call-ID': `reg-${port}-${extension}` };
    const withContacts = (h: Record<string, string>) => {
      const text = peer.request('REGISTER', 'sip:sip.lab.test', h);
      return text.replace('\r\n\r\n', contacts.map((c) => `\r\nContact: ${c}`).join('') + '\r\n\r\n');
    };
    const [challenge] = peer.send(withContacts(headers));
    if (challenge?.status !== 401) throw new Error(`REGISTER ${extension}: expected 401, got ${challenge?.status}`);
    const authorization = digestAnswer(challenge.header('www-authenticate')!, extension, password, 'REGISTER', 'sip:sip.lab.test');
    const text = withContacts({ ...headers, Via: via(), Authorization: authorization });
    const [answer] = peer.send(text);
    if (answer?.status !== 200) throw new Error(`REGISTER ${extension}: expected 200, got ${answer?.status}`);
    return { answer, text };
  }
  return { ...peer, via, register };
}
