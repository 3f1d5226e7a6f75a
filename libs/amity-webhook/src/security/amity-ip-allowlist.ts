import { BlockList, isIP } from 'node:net';
import { AmityWebhookConfigError } from '../errors/amity-webhook-config.error.js';
import { AMITY_SENDER_IPS, type AmitySenderRegion } from './amity-sender-ips.js';

/** Source-address restriction of the webhook route. */
export interface AmityIpAllowlistOptions {
  /** Allow the published sender addresses of these social.plus regions. */
  regions?: readonly AmitySenderRegion[];
  /** Extra addresses or CIDR ranges, IPv4 or IPv6 (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`). */
  addresses?: readonly string[];
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Decides whether a source address may deliver webhooks. Built on Node's `net.BlockList`.
 * The address must be the one the HTTP adapter reports (`request.ip`), which honours
 * `X-Forwarded-For` only when the host configured its adapter to trust its proxy.
 */
export class AmityIpAllowlist {
  private readonly list = new BlockList();

  constructor(options: AmityIpAllowlistOptions) {
    const regions = options.regions ?? [];
    const addresses = options.addresses ?? [];
    for (const region of regions) {
      const ips = (AMITY_SENDER_IPS as Record<string, readonly string[]>)[region];
      if (!ips) {
        throw new AmityWebhookConfigError(
          `unknown social.plus region "${String(region)}" in allowedIps.regions (known: ${Object.keys(AMITY_SENDER_IPS).join(', ')}).`,
        );
      }
      for (const ip of ips) this.list.addAddress(ip, 'ipv4');
    }
    for (const entry of addresses) this.add(entry);
    if (regions.length + addresses.length === 0) {
      throw new AmityWebhookConfigError('allowedIps is set but allows nothing: give `regions` and/or `addresses`.');
    }
  }

  private add(entry: string): void {
    const [address, prefix, extra] = String(entry).trim().split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) {
      throw new AmityWebhookConfigError(`allowedIps.addresses: "${entry}" is not an IP address or CIDR range.`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      this.list.addAddress(address!, type);
      return;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
      throw new AmityWebhookConfigError(`allowedIps.addresses: "${entry}" has an invalid prefix length.`);
    }
    this.list.addSubnet(address!, bits, type);
  }

  /** Whether `ip` (as reported by the adapter; IPv4-mapped IPv6 accepted) is allowed. */
  allows(ip: string | undefined): boolean {
    if (!ip) return false;
    const mapped = IPV4_MAPPED.exec(ip);
    const address = mapped ? mapped[1]! : ip;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
