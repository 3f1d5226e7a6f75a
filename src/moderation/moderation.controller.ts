import { Controller, Get } from '@nestjs/common';
import type { ModerationFlag } from './moderation-flag.interface.js';
import { ModerationService } from './moderation.service.js';

/** Read side of the moderation use case. */
@Controller('moderation')
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  /** The last flagged messages, newest first. */
  @Get('flags')
  flags(): Promise<ModerationFlag[]> {
    return this.moderation.list();
  }
}
