import {
  ForbiddenException,
  Optional,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AMITY_JSON_MEDIA_TYPE, AMITY_SIGNATURE_HEADER, AMITY_WEBHOOK_PACKAGE, AMITY_WEBHOOK_RESOLVED_OPTIONS, EKO_SIGNATURE_HEADER } from '../amity-webhook.constants.js';
import { describeAmityHeader } from '../logging/amity-rejection.log.js';
import { AmityWebhookRejections } from '../logging/amity-webhook.rejections.js';
import type { AmityWebhookSource } from '../interfaces/amity-webhook-event.interface.js';
import type { AmityRequestOutcome } from '../stats/amity-webhook.observer.js';
import type { ResolvedAmityWebhookOptions } from '../options/amity-webhook-options.resolver.js';
import { verifyAmitySignature } from '../signature/amity-signature.js';
import { AmityWebhookSignatureException } from './amity-webhook-signature.exception.js';

/** What {@link AmityWebhookGuard} reads from and adds to the request. */
export interface AmityGuardedRequest {
  headers: IncomingHttpHeaders;
  /** The exact bytes received: captured by the module on its own route, or Nest's `rawBody: true` elsewhere. */
  rawBody?: Buffer;
  /** The body as the platform's parser made it, if it parsed one. */
  body?: unknown;
  /** The source address as the HTTP adapter reports it (follows `trustProxy`). */
  ip?: string;
  /** Set by the guard: which configured secret verified the request, or `legacy` for an `x-eko-signature` twin. */
  amityWebhook?: AmityWebhookSource | 'legacy';
  /** Set by the module's receiver: what became of the request. */
  amityOutcome?: AmityRequestOutcome;
  /** Set by the module's receiver once the body was read: the delivery's id and event name. */
  amityDelivery?: { readonly id: string; readonly event: string };
}

/**
 * Lets a request through only when its `x-amity-signature` is Base64(HMAC-SHA256(secret, raw
 * body)) for one of the module's secrets, and sets `request.amityWebhook` to the secret that
 * matched. The module's webhook route carries it; put it on a controller of your own with
 * `@UseGuards(AmityWebhookGuard)` (your app then needs Nest's `rawBody: true`).
 *
 * - a legacy duplicate (only `x-eko-signature`) passes as `amityWebhook: 'legacy'`, to be
 *   acknowledged and not processed;
 * - with `allowedIps`, a source outside the list gets `403` before anything else;
 * - no signature: `401`; a signed body that is not JSON (`Content-Type`): `415`; a wrong
 *   signature: `401` ({@link AmityWebhookSignatureException}).
 *
 * Subclass it and override `getRawBody` / `getSignature` to read them from elsewhere.
 */
@Injectable()
export class AmityWebhookGuard implements CanActivate {
  private readonly logger = new Logger('AmityWebhook');
  private readonly keys;

  constructor(
    @Inject(AMITY_WEBHOOK_RESOLVED_OPTIONS) private readonly options: ResolvedAmityWebhookOptions,
    @Optional() private readonly rejections?: AmityWebhookRejections,
  ) {
    this.keys = options.secrets.map((s) => s.key);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AmityGuardedRequest>();
    const allowlist = this.options.allowlist;
    if (allowlist !== undefined && !allowlist.allows(request.ip)) {
      this.rejections?.record('403 source address not allowed', `from ${request.ip ?? 'unknown address'}`);
      throw new ForbiddenException('Source address not allowed');
    }
    const signature = this.getSignature(request);
    if (signature === undefined) {
      if (request.headers[AMITY_SIGNATURE_HEADER] === undefined && request.headers[EKO_SIGNATURE_HEADER] !== undefined) {
        request.amityWebhook = 'legacy';
        return true;
      }
      const missing = request.headers[AMITY_SIGNATURE_HEADER] === undefined;
      this.rejections?.record(missing ? '401 missing signature' : '401 bad signature', describeAmityHeader(AMITY_SIGNATURE_HEADER, request.headers[AMITY_SIGNATURE_HEADER]));
      throw new AmityWebhookSignatureException(missing ? 'missing' : 'invalid');
    }
    const type = request.headers['content-type'];
    if (type === undefined || !AMITY_JSON_MEDIA_TYPE.test(type)) {
      this.rejections?.record('415 not JSON', type === undefined ? 'no content-type' : `content-type ${type.slice(0, 40)}`);
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }
    const raw = this.getRawBody(request);
    if (raw === undefined) {
      // A host route without the raw bytes: a misconfiguration, not a bad request. Say what to change.
      this.logger.error(`AmityWebhookGuard found no raw body: create the app with NestFactory.create(AppModule, adapter, { rawBody: true })`);
      throw new InternalServerErrorException(`[${AMITY_WEBHOOK_PACKAGE}] AmityWebhookGuard needs the raw request body: create the app with { rawBody: true }.`);
    }
    const index = verifyAmitySignature(raw, signature, this.keys);
    if (index < 0) {
      this.rejections?.record('401 bad signature', describeAmityHeader(AMITY_SIGNATURE_HEADER, signature));
      throw new AmityWebhookSignatureException('invalid');
    }
    const secret = this.options.secrets[index]!;
    request.amityWebhook = { index: secret.index, label: secret.label };
    return true;
  }

  /** The exact bytes received. Defaults to `request.rawBody`. */
  protected getRawBody(request: AmityGuardedRequest): Buffer | undefined {
    return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
  }

  /** The signature header, or `undefined` when absent or repeated (a repeated header is ambiguous). */
  protected getSignature(request: AmityGuardedRequest): string | undefined {
    const value = request.headers[AMITY_SIGNATURE_HEADER];
    return typeof value === 'string' ? value : undefined;
  }
}
