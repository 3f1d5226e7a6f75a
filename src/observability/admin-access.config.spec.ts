import { describe, expect, it } from '@jest/globals';
import { adminAccessFromEnv, basicAuthMatches, decideAdminAccess, isLoopbackAddress } from './admin-access.config.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('adminAccessFromEnv', () => {
  it('uses basic auth when both credentials are set, whatever NODE_ENV says', () => {
    expect(adminAccessFromEnv('ops', 's3cret', 'production')).toEqual({ mode: 'basic', username: 'ops', password: 's3cret' });
    expect(adminAccessFromEnv('ops', 's3cret', undefined).mode).toBe('basic');
  });

  it('is off in production without credentials, loopback-only otherwise', () => {
    expect(adminAccessFromEnv(undefined, undefined, 'production')).toEqual({ mode: 'off' });
    expect(adminAccessFromEnv('', '', 'production')).toEqual({ mode: 'off' });
    expect(adminAccessFromEnv(undefined, undefined, 'development')).toEqual({ mode: 'loopback' });
    expect(adminAccessFromEnv(undefined, undefined, undefined)).toEqual({ mode: 'loopback' });
  });

  it('refuses one credential without the other, and a user name basic auth cannot carry', () => {
    expect(() => adminAccessFromEnv('ops', undefined, 'production')).toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD go together/);
    expect(() => adminAccessFromEnv(undefined, 'pw', undefined)).toThrow(/go together/);
    expect(() => adminAccessFromEnv('a:b', 'pw', undefined)).toThrow(/cannot contain ':'/);
  });
});

describe('isLoopbackAddress', () => {
  it('knows loopback in its three spellings', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(ip)).toBe(true);
    for (const ip of ['10.0.0.1', '::ffff:10.0.0.1', '0.0.0.0', 'localhost', '', undefined]) expect(isLoopbackAddress(ip)).toBe(false);
  });
});

describe('basicAuthMatches', () => {
  it('accepts exactly the configured pair, the password may hold colons', () => {
    expect(basicAuthMatches(basic('ops:s3cret'), 'ops', 's3cret')).toBe(true);
    expect(basicAuthMatches(basic('ops:a:b'), 'ops', 'a:b')).toBe(true);
    expect(basicAuthMatches(basic('ops:wrong'), 'ops', 's3cret')).toBe(false);
    expect(basicAuthMatches(basic('ops:s3cret '), 'ops', 's3cret')).toBe(false);
    expect(basicAuthMatches(undefined, 'ops', 's3cret')).toBe(false);
    expect(basicAuthMatches('Bearer x', 'ops', 's3cret')).toBe(false);
  });
});

describe('decideAdminAccess', () => {
  it('applies each mode', () => {
    const access = adminAccessFromEnv('ops', 'pw', 'production');
    expect(decideAdminAccess(access, '10.0.0.1', basic('ops:pw'))).toBe('allow');
    expect(decideAdminAccess(access, '127.0.0.1', undefined)).toBe(401);
    expect(decideAdminAccess({ mode: 'loopback' }, '127.0.0.1', undefined)).toBe('allow');
    expect(decideAdminAccess({ mode: 'loopback' }, '192.168.1.9', undefined)).toBe(403);
    expect(decideAdminAccess({ mode: 'off' }, '127.0.0.1', basic('ops:pw'))).toBe(404);
  });
});
