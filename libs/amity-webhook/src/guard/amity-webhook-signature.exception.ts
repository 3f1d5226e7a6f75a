import { UnauthorizedException } from '@nestjs/common';
import { AMITY_SIGNATURE_HEADER } from '../amity-webhook.constants.js';

/** Thrown by {@link AmityWebhookGuard} when `x-amity-signature` is missing or does not match. */
export class AmityWebhookSignatureException extends UnauthorizedException {
  constructor(reason: 'missing' | 'invalid') {
    super(reason === 'missing' ? `Missing ${AMITY_SIGNATURE_HEADER} header` : `Invalid ${AMITY_SIGNATURE_HEADER} signature`);
  }
}
