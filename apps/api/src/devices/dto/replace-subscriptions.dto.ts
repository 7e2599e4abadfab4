import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind, SUBSCRIPTION_TARGET_KINDS, type SubscriptionTargetKind } from '@app/db';

export const MAX_SUBSCRIPTIONS = 200;

export class SubscriptionDto {
  @IsIn(SUBSCRIPTION_TARGET_KINDS)
  targetKind: SubscriptionTargetKind;

  @IsUUID()
  targetId: string;

  /** All of NOTIFICATION_KINDS when absent. */
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
  @IsArray()
  @ArrayMaxSize(MAX_SUBSCRIPTIONS)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionDto)
  subscriptions: SubscriptionDto[];
}
