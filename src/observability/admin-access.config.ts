import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Variables that protect the dashboard, its replay action and Bull Board. */
export const ADMIN_USERNAME_ENV = 'ADMIN_USERNAME';
export const ADMIN_PASSWORD_ENV = 'ADMIN_PASSWORD';

/**
 * Who may open the admin pages:
 * - `basic`: anyone with `ADMIN_USERNAME` / `ADMIN_PASSWORD` (HTTP basic auth);
 * - `loopback`: development without credentials, requests from this machine only;
 * - `off`: `NODE_ENV=production` without credentials, the pages are not served at all.
 */
export type AdminAccess =
  | { readonly mode: 'basic'; readonly username: string; readonly password: string }
  | { readonly mode: 'loopback' }
  | { readonly mode: 'off' };

/** Reads the admin settings; one credential without the other fails the boot rather than leave the pages open. */
export function adminAccessFromEnv(username: string | undefined, password: string | undefined, nodeEnv: string | undefined): AdminAccess {
  const user = username ?? '';
  const pass = password ?? '';
  if (user !== '' && pass !== '') {
    if (user.includes(':')) throw new Error(`${ADMIN_USERNAME_ENV} cannot contain ':' (HTTP basic auth separates the password with it)`);
    return { mode: 'basic', username: user, password: pass };
  }
  if (user !== '' || pass !== '') {
    throw new Error(`${ADMIN_USERNAME_ENV} and ${ADMIN_PASSWORD_ENV} go together: set both to protect the dashboard, or neither`);
  }
  return nodeEnv === 'production' ? { mode: 'off' } : { mode: 'loopback' };
}

/** Whether a client address is this machine (IPv4 loopback, `::1`, or IPv4 loopback mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  return ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));
}

/** Whether an `Authorization` header carries exactly these credentials; compared in constant time. */
export function basicAuthMatches(header: string | undefined, username: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return false;
  const given = Buffer.from(match[1]!, 'base64').toString('utf8');
  // Digests first, so lengths cannot leak through timingSafeEqual's length check.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(`${username}:${password}`));
}

/** What to answer an admin request: let it through, or refuse with this status. */
export type AdminAccessDecision = 'allow' | 401 | 403 | 404;

/** The decision for one request, from the client's address and its `Authorization` header. */
export function decideAdminAccess(access: AdminAccess, remoteAddress: string | undefined, authorization: string | undefined): AdminAccessDecision {
  switch (access.mode) {
    case 'off':
      return 404;
    case 'loopback':
      return isLoopbackAddress(remoteAddress) ? 'allow' : 403;
    case 'basic':
      return basicAuthMatches(authorization, access.username, access.password) ? 'allow' : 401;
  }
}

/** The challenge sent with a 401, so browsers ask for the credentials. */
export const ADMIN_AUTH_CHALLENGE = 'Basic realm="amity-webhook admin", charset="UTF-8"';
