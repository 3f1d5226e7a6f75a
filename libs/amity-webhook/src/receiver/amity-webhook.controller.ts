import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  MethodNotAllowedException,
  Patch,
  Post,
  Put,
  Req,
  Res,
  UseGuards,
  VERSION_NEUTRAL,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AmityWebhookGuard, type AmityGuardedRequest } from '../guard/amity-webhook.guard.js';
import { AmityWebhookRejections } from '../logging/amity-webhook.rejections.js';
import type { AmityRouteDecorator } from '../interfaces/amity-webhook-options.interface.js';
import { AmityWebhookReceiver } from './amity-webhook.receiver.js';

/** The acknowledgement social.plus expects. */
type AmityAck = Record<string, never>;

/**
 * Defines the webhook controller for one module definition: `POST <path>` behind
 * {@link AmityWebhookGuard}, answering `200 {}`, with the host's decorators on the handler. Other
 * methods on the path get `405` with `Allow: POST`. It is a plain Nest controller, so the host's
 * global prefix, versioning (it is version-neutral), interceptors, filters, pipes and logging apply.
 */
export function createAmityWebhookController(path: string, decorators: readonly AmityRouteDecorator[]): Type<unknown> {
  @Controller({ version: VERSION_NEUTRAL })
  class AmityWebhookController {
    constructor(
      private readonly receiver: AmityWebhookReceiver,
      private readonly adapterHost: HttpAdapterHost,
      private readonly rejections: AmityWebhookRejections,
    ) {}

    /** Receives one delivery; the guard has verified its signature on the exact bytes. */
    @Post(path)
    @HttpCode(HttpStatus.OK)
    @UseGuards(AmityWebhookGuard)
    @applyDecorators(...decorators)
    async receive(@Req() request: AmityGuardedRequest, @Res({ passthrough: true }) response: unknown): Promise<AmityAck> {
      try {
        await this.receiver.receive(request);
        return {};
      } catch (error) {
        if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
          this.adapterHost.httpAdapter.setHeader(response, 'retry-after', '1');
        }
        throw error;
      }
    }

    @Get(path)
    get(@Res({ passthrough: true }) response: unknown): never {
      return this.methodNotAllowed(response);
    }

    @Put(path)
    put(@Res({ passthrough: true }) response: unknown): never {
      return this.methodNotAllowed(response);
    }

    @Patch(path)
    patch(@Res({ passthrough: true }) response: unknown): never {
      return this.methodNotAllowed(response);
    }

    @Delete(path)
    delete(@Res({ passthrough: true }) response: unknown): never {
      return this.methodNotAllowed(response);
    }

    private methodNotAllowed(response: unknown): never {
      this.rejections.record('405 method not allowed');
      this.adapterHost.httpAdapter.setHeader(response, 'allow', 'POST');
      throw new MethodNotAllowedException('Use POST to deliver social.plus webhooks');
    }
  }
  return AmityWebhookController;
}
