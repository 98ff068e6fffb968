// Bearer tokens. With none configured the service is open (bind it to loopback). With tokens, every request but
// /health and /openapi.json needs `Authorization: Bearer <token>`; a session belongs to the token that created it, and other tokens see
// it as unknown (404). Only a hash of the token is kept, in memory and in the session's metadata file.
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './results.js';

/** Who owns what: the token's SHA-256 (hex), or `null` on an open service. */
export type Owner = string | null;

export function ownerOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class Auth {
  private readonly hashes: Buffer[];

  constructor(tokens: string[]) {
    this.hashes = tokens.map((token) => Buffer.from(ownerOf(token), 'hex'));
  }

  get enabled(): boolean {
    return this.hashes.length > 0;
  }

  /** The owner a request acts as, or a 401. */
  check(authorization: string | undefined): Owner {
    if (!this.enabled) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw unauthorized(authorization ? 'the Authorization header is not "Bearer <token>"' : 'this server needs "Authorization: Bearer <token>"');
    const hash = Buffer.from(ownerOf(match[1]!), 'hex');
    // Compare every configured hash in constant time, so timing tells nothing about which prefix matched.
    let found = false;
    for (const known of this.hashes) found = timingSafeEqual(known, hash) || found;
    if (!found) throw unauthorized('the bearer token is not valid for this server');
    return hash.toString('hex');
  }
}

function unauthorized(message: string) {
  return new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
}
