import { Module } from '@nestjs/common';
import { ModerationController } from './moderation.controller.js';
import { ModerationListener } from './moderation.listener.js';
import { ModerationService } from './moderation.service.js';

/** Moderation use case: flags messages containing banned words; `GET /moderation/flags`. */
@Module({
  controllers: [ModerationController],
  providers: [ModerationService, ModerationListener],
  exports: [ModerationService],
})
export class ModerationModule {}
