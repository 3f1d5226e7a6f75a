import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { activityConfig } from './activity.config.js';
import { ActivityController } from './activity.controller.js';
import { ActivityListener } from './activity.listener.js';
import { ActivityService } from './activity.service.js';

/** Activity feed use case: per-user activity from message and channel events; `GET /activity/:userId`. */
@Module({
  imports: [ConfigModule.forFeature(activityConfig)],
  controllers: [ActivityController],
  providers: [ActivityService, ActivityListener],
  exports: [ActivityService],
})
export class ActivityModule {}
