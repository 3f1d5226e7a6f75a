import { Inject, Injectable, InternalServerErrorException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AMITY_SIGNATURE_HEADER, AMITY_WEBHOOK_PACKAGE, AMITY_WEBHOOK_RESOLVED_OPTIONS } from '../amity-webhook.constants.js';
import type { AmityWebhookSource } from '../interfaces/amity-webhook-event.interface.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { verifyAmitySignature } from '../signature/amity-signature.js';
import { AmityWebhookSignatureException } from './amity-webhook-signature.exception.js';

/** What {@link AmityWebhookGuard} reads from and adds to the request. */
export interface AmityGuardedRequest {
  headers: IncomingHttpHeaders;
  rawBody?: Buffer;
  /** Set by the guard: which configured secret verified the request. */
  amityWebhook?: AmityWebhookSource;
}

/**
 * Protects a route of your own with the module's secrets: the request passes only when
 * `x-amity-signature` is Base64(HMAC-SHA256(secret, raw body)) for one of them, and
 * `request.amityWebhook` then says which. The module's own route does not need it (it verifies on
 * its own, faster path); use it when you keep a controller of your own for social.plus traffic.
 *
 * Needs the raw bytes: create the app with `NestFactory.create(AppModule, adapter, { rawBody: true })`.
 * Override `getRawBody` / `getSignature` to read them from elsewhere.
 */
@Injectable()
export class AmityWebhookGuard implements CanActivate {
  private readonly keys;

  constructor(@Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions) {
    this.keys = options.secrets.map((s) => s.key);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AmityGuardedRequest>();
    const signature = this.getSignature(request);
    if (signature === undefined) throw new AmityWebhookSignatureException('missing');
    const raw = this.getRawBody(request);
    if (raw === undefined) {
      // A host misconfiguration, not a bad request: say exactly what to change.
      throw new InternalServerErrorException(
        `[${AMITY_WEBHOOK_PACKAGE}] AmityWebhookGuard needs the raw request body: create the app with { rawBody: true }.`,
      );
    }
    const index = verifyAmitySignature(raw, signature, this.keys);
    if (index < 0) throw new AmityWebhookSignatureException('invalid');
    const secret = this.options.secrets[index]!;
    request.amityWebhook = { index: secret.index, label: secret.label };
    return true;
  }

  /** The exact bytes received. Defaults to Nest's `request.rawBody`. */
  protected getRawBody(request: AmityGuardedRequest): Buffer | undefined {
    return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
  }

  /** The signature header, or `undefined` when absent or repeated. */
  protected getSignature(request: AmityGuardedRequest): string | undefined {
    const value = request.headers[AMITY_SIGNATURE_HEADER];
    return typeof value === 'string' ? value : undefined;
  }
}
