// Bearer tokens. With none configured the service is open (bind it to loopback). With tokens, every request but
// /health and /openapi.json needs `Authorization: Bearer <token>`; a session belongs to the token that created it, and other tokens see
// it as unknown (404). Only a hash of the token is kept, in memory and in the session's metadata file.
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './results.js';

/** A token list the service cannot start with (the CLI reports it as a usage error). */
export class TokenConfigError extends Error {}

/**
 * The tokens to accept: the `--token` flags if any, else `$GOLEM_EXEC_TOKEN` (comma-separated), else none (an open
 * service). A variable that is set but names no token (" , ", or empty from a missing secret) is refused rather than
 * read as "no authentication", and so is a token no request could present (blank, or holding whitespace).
 */
export function configuredTokens(flags: string[] | undefined, env: string | undefined): string[] {
  if (flags?.length) {
    for (const token of flags) checkToken(token, '--token');
    return flags;
  }
  if (env === undefined) return [];
  const tokens = env.split(',').map((token) => token.trim()).filter(Boolean);
  if (tokens.length === 0) {
    throw new TokenConfigError('GOLEM_EXEC_TOKEN is set but names no token; unset it to serve without authentication, or give tokens (comma-separated)');
  }
  for (const token of tokens) checkToken(token, 'GOLEM_EXEC_TOKEN');
  return tokens;
}

/** A bearer token must be something a request can present: `Bearer <token>` ends at the first whitespace. */
function checkToken(token: string, source: string) {
  if (!/^\S+$/.test(token)) throw new TokenConfigError(`${source}: the token ${JSON.stringify(token)} is blank or holds whitespace; a token must be one word`);
}

export type Owner = string | null;

export function ownerOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class Auth {
  private readonly hashes: Buffer[];

  constructor(tokens: string[]) {
    for (const token of tokens) checkToken(token, 'tokens');
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
