import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { hostForUrl, isLoopbackHost, serverSettingsFromConfig } from './server.config.js';

function configOf(env: Record<string, string>): ConfigService {
  return { get: (key: string) => env[key] } as unknown as ConfigService;
}

const configured = { developmentSecret: false };
const development = { developmentSecret: true };

describe('serverSettingsFromConfig', () => {
  it('listens on all interfaces on port 3000 by default once secrets are configured', () => {
    expect(serverSettingsFromConfig(configOf({}), configured)).toEqual({ port: 3000, host: '0.0.0.0', loopbackOnly: false });
    expect(serverSettingsFromConfig(configOf({ PORT: '8080', HOST: ' :: ' }), configured)).toEqual({ port: 8080, host: '::', loopbackOnly: false });
  });

  it('listens on loopback only while the development secret is in use', () => {
    expect(serverSettingsFromConfig(configOf({}), development)).toEqual({ port: 3000, host: '127.0.0.1', loopbackOnly: true });
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) {
      expect(serverSettingsFromConfig(configOf({ HOST: host }), development)).toMatchObject({ host, loopbackOnly: true });
    }
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses HOST=%s with the development secret, naming both variables', (host) => {
    expect(() => serverSettingsFromConfig(configOf({ HOST: host }), development)).toThrow(
      new RegExp(`^HOST=${host.replace(/\./g, '\\.')} would expose the app .* set AMITY_WEBHOOK_SECRETS`),
    );
  });

  it.each(['bad_host!', 'http://localhost', '1.2.3.4:80', '-leading.example'])('refuses HOST=%p, naming the variable', (host) => {
    expect(() => serverSettingsFromConfig(configOf({ HOST: host }), configured)).toThrow(/^HOST must be an IP address or a host name/);
  });

  it('refuses a bad PORT, naming the variable and its range', () => {
    expect(() => serverSettingsFromConfig(configOf({ PORT: '70000' }), configured)).toThrow(/^PORT must be an integer between 1 and 65535/);
  });
});

describe('hostForUrl and isLoopbackHost', () => {
  it('puts IPv6 addresses in brackets', () => {
    expect(hostForUrl('::1')).toBe('[::1]');
    expect(hostForUrl('127.0.0.1')).toBe('127.0.0.1');
    expect(hostForUrl('localhost')).toBe('localhost');
  });

  it('tells loopback addresses apart', () => {
    expect(['127.0.0.1', '::1', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', '::ffff:127.0.0.1x'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
