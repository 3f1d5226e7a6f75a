import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import { AmityIpAllowlist } from './amity-ip-allowlist.js';
import { AMITY_SENDER_IPS } from './amity-sender-ips.js';

describe('AmityIpAllowlist', () => {
  it('allows the published sender addresses of the chosen regions only', () => {
    const list = new AmityIpAllowlist({ regions: ['singapore', 'europe-frankfurt'] });
    expect(list.allows('52.77.130.167')).toBe(true);
    expect(list.allows('3.77.135.138')).toBe(true);
    expect(list.allows('52.70.191.115')).toBe(false);
    expect(list.allows('127.0.0.1')).toBe(false);
  });

  it('matches IPv4 sources seen as IPv4-mapped IPv6', () => {
    expect(new AmityIpAllowlist({ regions: ['us-north-virginia'] }).allows('::ffff:100.24.154.219')).toBe(true);
  });

  it('supports custom addresses and CIDR ranges, IPv4 and IPv6', () => {
    const list = new AmityIpAllowlist({ addresses: ['10.1.0.0/16', '192.0.2.7', '2001:db8::/32', '::1'] });
    expect(list.allows('10.1.200.3')).toBe(true);
    expect(list.allows('10.2.0.1')).toBe(false);
    expect(list.allows('192.0.2.7')).toBe(true);
    expect(list.allows('192.0.2.8')).toBe(false);
    expect(list.allows('2001:db8:1::5')).toBe(true);
    expect(list.allows('::1')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
  });

  it('refuses what is not an address', () => {
    const list = new AmityIpAllowlist({ addresses: ['127.0.0.1'] });
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows('')).toBe(false);
    expect(list.allows('localhost')).toBe(false);
    expect(list.allows('127.0.0.1, 52.77.130.167')).toBe(false);
  });

  it.each([
    [{ addresses: ['not-an-ip'] }, /not an IP address/],
    [{ addresses: ['10.0.0.0/33'] }, /invalid prefix/],
    [{ addresses: ['10.0.0.0/8/1'] }, /not an IP address/],
    [{ regions: ['mars' as never] }, /unknown social.plus region "mars"/],
    [{}, /allows nothing/],
  ])('fails at boot on bad configuration (%#)', (options, message) => {
    expect(() => new AmityIpAllowlist(options)).toThrow(AmityWebhookConfigError);
    expect(() => new AmityIpAllowlist(options)).toThrow(message);
  });

  it('carries exactly the addresses of the published reference list', () => {
    // A copy of the vendor's list kept in the repository (test/reference), apart from the code.
    const file = new URL('../../test/reference/social-plus-sender-ips.json', import.meta.url);
    const reference = JSON.parse(readFileSync(file, 'utf8')) as { regions: unknown };
    expect(AMITY_SENDER_IPS).toEqual(reference.regions);
  });
});
