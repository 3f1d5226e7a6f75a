import { UnauthorizedException } from '@nestjs/common';
import { AMITY_SIGNATURE_HEADER } from '../amity-webhook.constants.js';

/** Thrown by {@link AmityWebhookGuard} when `x-amity-signature` is missing or does not match. */
export class AmityWebhookSignatureException extends UnauthorizedException {
  constructor(
    /** `missing`: no header; `invalid`: malformed, repeated, or not the body's signature under any secret. */
    readonly reason: 'missing' | 'invalid',
  ) {
    super(reason === 'missing' ? `Missing ${AMITY_SIGNATURE_HEADER} header` : `The ${AMITY_SIGNATURE_HEADER} header does not match the body under any configured secret`);
  }
}
