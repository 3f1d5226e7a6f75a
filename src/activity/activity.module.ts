import { Module } from '@nestjs/common';
import { ActivityController } from './activity.controller.js';
import { ActivityListener } from './activity.listener.js';
import { ActivityService } from './activity.service.js';

/** Activity feed use case: per-user activity from message and channel events; `GET /activity/:userId`. */
@Module({
  controllers: [ActivityController],
  providers: [ActivityService, ActivityListener],
  exports: [ActivityService],
})
export class ActivityModule {}
