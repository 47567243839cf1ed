/**
 * A small read-only LDAPv3 server (RFC 4511) on loopback: the directory the lab's bases query, and one that real
 * clients (`ldapsearch`, the base's ldapts client) can query too.
 *
 * What it does: simple bind (an account's DN and password; anonymous), search with every filter but extensible match,
 * the three scopes, size limits (client's and the server's own), attribute selection and types-only, abandon and
 * unbind. Everything that would write (add, modify, delete, modify DN) is refused with unwillingToPerform, compare
 * too; extended operations (StartTLS among them) answer protocolError, as RFC 4511 §4.12 asks of a server that does
 * not know them. A malformed message closes the connection (RFC 4511 §4.1.1).
 *
 * `anonymousSearch: false` behaves as Active Directory does: a search before a successful bind is refused; OpenLDAP's
 * default (`true`) lets anyone read.
 */
import net from 'node:net';
import {
  BerError,
  childrenOf,
  enumerated,
  expectTag,
  integer,
  octetString,
  readBoolean,
  readElement,
  readInteger,
  readString,
  sequence,
  TAG,
  type BerElement,
} from './ber.ts';
import { depthBelow, isUnder, normaliseDn } from './ldap-dn.ts';
import { decodeFilter, type LdapEntry, matches } from './ldap-filter.ts';

/** LDAP result codes used here (RFC 4511 Appendix A). */
export const RESULT = {
  success: 0,
  operationsError: 1,
  protocolError: 2,
  sizeLimitExceeded: 4,
  authMethodNotSupported: 7,
  unavailableCriticalExtension: 12,
  noSuchObject: 32,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
} as const;

export interface LdapAccount {
  dn: string;
  password: string;
}

export interface LdapServerOptions {
  /** The naming context the server holds (e.g. `dc=lab,dc=test`). */
  suffix: string;
  /** The entries, containers included. */
  entries: readonly LdapEntry[];
  /** Who may bind with a password. */
  accounts: readonly LdapAccount[];
  /** Whether a search without a bind is answered (OpenLDAP's default) or refused (Active Directory). */
  anonymousSearch: boolean;
  /** The most entries one search returns, whatever the client asks (default 500). */
  sizeLimit?: number;
}

/** One operation as the server saw it (the lab shows the latest, as a directory server's log would). */
export interface LdapLogEntry {
  operation: 'bind' | 'search' | 'other';
  detail: string;
  resultCode: number;
}

const MAX_MESSAGE_BYTES = 256 * 1024;

/** Response tags for the requests this server refuses: request tag → response tag. */
const REFUSED_OPERATIONS: Readonly<Record<number, number>> = {
  0x66: 0x67, // modify
  0x68: 0x69, // add
  0x4a: 0x6b, // delete
  0x6c: 0x6d, // modify DN
  0x6e: 0x6f, // compare
};

interface Connection {
  socket: net.Socket;
  buffer: Buffer;
  /** DN of the successful bind, '' after an anonymous bind, null before any. */
  boundAs: string | null;
}

export class LdapServer {
  private readonly server: net.Server;
  private readonly connections = new Set<net.Socket>();
  private readonly recent: LdapLogEntry[] = [];
  private readonly suffix: string;

  constructor(private readonly options: LdapServerOptions) {
    this.suffix = normaliseDn(options.suffix);
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on loopback; resolves with the port (0: any free port). */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** The latest operations, newest first. */
  log(): readonly LdapLogEntry[] {
    return this.recent;
  }

  close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    return new Promise((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private note(entry: LdapLogEntry): void {
    this.recent.unshift(entry);
    this.recent.length = Math.min(this.recent.length, 50);
  }

  private accept(socket: net.Socket): void {
    const connection: Connection = { socket, buffer: Buffer.alloc(0), boundAs: null };
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      connection.buffer = connection.buffer.length ? Buffer.concat([connection.buffer, chunk]) : chunk;
      try {
        for (;;) {
          const read = readElement(connection.buffer, 0, MAX_MESSAGE_BYTES);
          if (!read) break;
          connection.buffer = connection.buffer.subarray(read.end);
          if (!this.handle(connection, read.element)) return;
        }
      } catch (err) {
        if (!(err instanceof BerError)) throw err;
        socket.destroy();
      }
    });
  }

  /** Answers one LDAPMessage; false when the connection is over (unbind). */
  private handle(connection: Connection, message: BerElement): boolean {
    const [idElement, op, controls] = childrenOf(expectTag(message, TAG.sequence, 'LDAPMessage'));
    const id = readInteger(expectTag(idElement, TAG.integer, 'messageID'));
    if (!op) throw new BerError('LDAPMessage without an operation');
    const send = (buffer: Buffer) => connection.socket.write(sequence([integer(id), buffer]));
    const result = (tag: number, code: number, diagnostic = '', matchedDn = '') =>
      send(sequence([enumerated(code), octetString(matchedDn), octetString(diagnostic)], tag));
    if (controls && hasCriticalControl(controls)) {
      const responseTag = op.tag === 0x60 ? 0x61 : op.tag === 0x63 ? 0x65 : REFUSED_OPERATIONS[op.tag];
      if (responseTag !== undefined) result(responseTag, RESULT.unavailableCriticalExtension, 'critical control not supported');
      return true;
    }
    switch (op.tag) {
      case 0x60:
        this.bind(connection, op, (code, diagnostic) => result(0x61, code, diagnostic));
        return true;
      case 0x42:
        connection.socket.end();
        return false;
      case 0x63:
        this.search(connection, op, send, (code, diagnostic, matched) => result(0x65, code, diagnostic, matched));
        return true;
      case 0x50:
        // Abandon: every search is answered at once, so there is nothing left to stop.
        return true;
      case 0x77:
        result(0x78, RESULT.protocolError, 'extended operation not supported by this server');
        return true;
      default: {
        const responseTag = REFUSED_OPERATIONS[op.tag];
        if (responseTag === undefined) throw new BerError(`unknown operation 0x${op.tag.toString(16)}`);
        this.note({ operation: 'other', detail: `operation 0x${op.tag.toString(16)}`, resultCode: RESULT.unwillingToPerform });
        result(responseTag, RESULT.unwillingToPerform, 'this directory is read-only');
        return true;
      }
    }
  }

  private bind(connection: Connection, op: BerElement, answer: (code: number, diagnostic: string) => void): void {
    const [versionElement, nameElement, auth] = childrenOf(op);
    const version = readInteger(expectTag(versionElement, TAG.integer, 'version'));
    const name = readString(expectTag(nameElement, TAG.octetString, 'name'));
    const done = (code: number, diagnostic: string) => {
      this.note({ operation: 'bind', detail: name === '' ? '(anonymous)' : name, resultCode: code });
      answer(code, diagnostic);
    };
    connection.boundAs = null;
    if (version !== 3) return done(RESULT.protocolError, 'only LDAP version 3 is supported');
    if (!auth || auth.tag !== 0x80) return done(RESULT.authMethodNotSupported, 'only simple bind is supported');
    const password = readString(auth);
    if (name === '' && password === '') {
      connection.boundAs = '';
      return done(RESULT.success, '');
    }
    // RFC 4513 §5.1.2: a name without a password is an unauthenticated bind, which servers refuse by default.
    if (password === '') return done(RESULT.unwillingToPerform, 'unauthenticated bind (DN with no password) disallowed');
    const account = this.options.accounts.find((a) => normaliseDn(a.dn) === normaliseDn(name));
    if (!account || account.password !== password) return done(RESULT.invalidCredentials, 'invalid credentials');
    connection.boundAs = normaliseDn(name);
    done(RESULT.success, '');
  }

  private search(
    connection: Connection,
    op: BerElement,
    send: (buffer: Buffer) => void,
    done: (code: number, diagnostic: string, matched?: string) => void,
  ): void {
    const [baseElement, scopeElement, , sizeElement, , typesOnlyElement, filterElement, attributesElement] = childrenOf(op);
    const base = readString(expectTag(baseElement, TAG.octetString, 'baseObject'));
    const scope = readInteger(expectTag(scopeElement, TAG.enumerated, 'scope'));
    const clientLimit = readInteger(expectTag(sizeElement, TAG.integer, 'sizeLimit'));
    const typesOnly = readBoolean(expectTag(typesOnlyElement, TAG.boolean, 'typesOnly'));
    if (!filterElement) throw new BerError('search without a filter');
    const filter = decodeFilter(filterElement);
    const wanted = childrenOf(expectTag(attributesElement, TAG.sequence, 'attributes')).map((a) => readString(a));
    const finish = (code: number, diagnostic: string, matched?: string) => {
      this.note({ operation: 'search', detail: `base "${base}"`, resultCode: code });
      done(code, diagnostic, matched);
    };
    if (connection.boundAs === null && !this.options.anonymousSearch) {
      return finish(RESULT.operationsError, 'a successful bind must be completed on the connection before a search');
    }
    if (connection.boundAs === '' && !this.options.anonymousSearch) {
      return finish(RESULT.insufficientAccessRights, 'anonymous search is not allowed');
    }
    const exists = this.options.entries.some((e) => isUnder(e.dn, base));
    if (!exists) return finish(RESULT.noSuchObject, `no such object: ${base}`, isUnder(base, this.suffix) ? this.options.suffix : '');
    const inScope = (dn: string) => {
      const depth = depthBelow(dn, base);
      return scope === 0 ? depth === 0 : scope === 1 ? depth === 1 : scope === 3 ? depth >= 1 : depth >= 0;
    };
    const found = this.options.entries.filter((e) => inScope(e.dn) && matches(e, filter));
    const serverLimit = this.options.sizeLimit ?? 500;
    const limit = clientLimit > 0 ? Math.min(clientLimit, serverLimit) : serverLimit;
    for (const entry of found.slice(0, limit)) send(encodeEntry(entry, wanted, typesOnly));
    if (found.length > limit) return finish(RESULT.sizeLimitExceeded, `size limit of ${limit} entries exceeded`);
    finish(RESULT.success, '');
  }
}

function hasCriticalControl(controls: BerElement): boolean {
  return childrenOf(controls).some((control) => {
    const [, second] = childrenOf(control);
    return second?.tag === TAG.boolean && readBoolean(second);
  });
}

function encodeEntry(entry: LdapEntry, wanted: readonly string[], typesOnly: boolean): Buffer {
  const all = wanted.length === 0 || wanted.includes('*');
  const none = wanted.length === 1 && wanted[0] === '1.1';
  const names = new Set(wanted.map((w) => w.toLowerCase()));
  const attributes = Object.entries(entry.attributes).filter(([name]) => !none && (all || names.has(name.toLowerCase())));
  return sequence(
    [
      octetString(entry.dn),
      sequence(attributes.map(([name, values]) => sequence([octetString(name), sequence(typesOnly ? [] : values.map((v) => octetString(v)), TAG.set)]))),
    ],
    0x64,
  );
}
