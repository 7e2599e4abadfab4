import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind, SUBSCRIPTION_TARGET_KINDS, type SubscriptionTargetKind } from '@app/db';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const MAX_SUBSCRIPTIONS = 200;

export class SubscriptionDto {
  @ApiProperty({ enum: SUBSCRIPTION_TARGET_KINDS, example: 'team' })
  @IsIn(SUBSCRIPTION_TARGET_KINDS)
  targetKind: SubscriptionTargetKind;

  @ApiProperty({ format: 'uuid', description: 'id of a team or match (as /v1/sync gives it).' })
  @IsUUID()
  targetId: string;

  /** All of NOTIFICATION_KINDS when absent. */
  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, isArray: true, uniqueItems: true, minItems: 1, description: 'All kinds when absent.', example: ['goal', 'final'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NOTIFICATION_KINDS.length)
  @ArrayUnique()
  @IsIn(NOTIFICATION_KINDS, { each: true })
  kinds?: NotificationKind[];
}

/** The whole list of what the device follows; what is not in it is unfollowed. */
export class ReplaceSubscriptionsDto {
  @ApiProperty({ type: () => SubscriptionDto, isArray: true, maxItems: MAX_SUBSCRIPTIONS, description: 'The whole list: what is not in it is unfollowed. A target twice is a 400 `duplicate_subscription_target`.' })
  @IsArray()
  @ArrayMaxSize(MAX_SUBSCRIPTIONS)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionDto)
  subscriptions: SubscriptionDto[];
}
