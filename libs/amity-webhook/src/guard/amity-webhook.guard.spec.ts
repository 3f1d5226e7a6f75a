import { describe, expect, it } from '@jest/globals';
import { ForbiddenException, InternalServerErrorException, UnsupportedMediaTypeException, type ExecutionContext } from '@nestjs/common';
import { resolveAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { signAmityPayload } from '../signature/amity-signature.js';
import { AmityWebhookGuard, type AmityGuardedRequest } from './amity-webhook.guard.js';
import { AmityWebhookSignatureException } from './amity-webhook-signature.exception.js';

function contextFor(request: AmityGuardedRequest): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

const body = Buffer.from('{"event":"message.didCreate","data":{}}');
const guard = new AmityWebhookGuard(resolveAmityWebhookOptions({ secrets: ['one', { secret: 'two', label: 'second' }] }));

describe('AmityWebhookGuard', () => {
  it('lets a correctly signed request through and records which secret matched', () => {
    const request: AmityGuardedRequest = { headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'two') }, rawBody: body };
    expect(guard.canActivate(contextFor(request))).toBe(true);
    expect(request.amityWebhook).toEqual({ index: 1, label: 'second' });
  });

  it('throws a 401 for a missing or wrong signature', () => {
    expect(() => guard.canActivate(contextFor({ headers: {}, rawBody: body }))).toThrow(AmityWebhookSignatureException);
    const wrong = { headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'three') }, rawBody: body };
    expect(() => guard.canActivate(contextFor(wrong))).toThrow('The x-amity-signature header does not match the body under any configured secret');
    expect(new AmityWebhookSignatureException('invalid').getStatus()).toBe(401);
  });

  it('says how to enable the raw body when the host did not', () => {
    const request = { headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'one') } };
    expect(() => guard.canActivate(contextFor(request))).toThrow(InternalServerErrorException);
    expect(() => guard.canActivate(contextFor(request))).toThrow(/rawBody: true/);
  });

  it('lets subclasses read the raw body from elsewhere', () => {
    class CustomGuard extends AmityWebhookGuard {
      protected override getRawBody(request: AmityGuardedRequest & { buffered?: Buffer }): Buffer | undefined {
        return request.buffered;
      }
    }
    const custom = new CustomGuard(resolveAmityWebhookOptions({ secrets: 'one' }));
    const request = { headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'one') }, buffered: body };
    expect(custom.canActivate(contextFor(request))).toBe(true);
  });

  it('passes a legacy x-eko-signature twin as legacy, without checking it', () => {
    const request: AmityGuardedRequest = { headers: { 'x-eko-signature': 'anything' }, rawBody: body };
    expect(guard.canActivate(contextFor(request))).toBe(true);
    expect(request.amityWebhook).toBe('legacy');
  });

  it('refuses a signed body that is not JSON with 415, and an unsigned one with 401 first', () => {
    const signed = { headers: { 'content-type': 'text/plain', 'x-amity-signature': signAmityPayload(body, 'one') }, rawBody: body };
    expect(() => guard.canActivate(contextFor(signed))).toThrow(UnsupportedMediaTypeException);
    expect(() => guard.canActivate(contextFor({ headers: { 'content-type': 'text/plain' }, rawBody: body }))).toThrow(AmityWebhookSignatureException);
  });

  it('refuses a source outside allowedIps with 403 before looking at the signature', () => {
    const restricted = new AmityWebhookGuard(resolveAmityWebhookOptions({ secrets: 'one', allowedIps: { addresses: ['10.0.0.0/8'] } }));
    const request = { headers: { 'content-type': 'application/json', 'x-amity-signature': signAmityPayload(body, 'one') }, rawBody: body };
    expect(() => restricted.canActivate(contextFor({ ...request, ip: '192.0.2.1' }))).toThrow(ForbiddenException);
    expect(restricted.canActivate(contextFor({ ...request, ip: '10.1.2.3' }))).toBe(true);
  });
});
