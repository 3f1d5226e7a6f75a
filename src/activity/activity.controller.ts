import { Controller, Get, Param } from '@nestjs/common';
import type { ActivityItem } from './activity-item.interface.js';
import { ActivityService } from './activity.service.js';

/** Read side of the activity feed use case. */
@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  /** A user's recent activity, newest first (`[]` for a user never seen). */
  @Get(':userId')
  feed(@Param('userId') userId: string): Promise<ActivityItem[]> {
    return this.activity.feed(userId);
  }
}
