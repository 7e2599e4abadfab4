import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { LONGEST_PERIOD_SECONDS } from '../match-clock.js';
import { MatchCommandDto } from './match-command.dto.js';

/** Puts the clock where the broadcast shows it. */
export class SetClockDto extends MatchCommandDto {
  /** The current period when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  period?: number;

  @IsInt()
  @Min(0)
  @Max(LONGEST_PERIOD_SECONDS)
  secondsRemaining: number;

  @IsBoolean()
  running: boolean;
}

/** Puck drop: records a period_start event and runs the clock from the full period. */
export class StartPeriodDto extends MatchCommandDto {
  /** The period after the current one (1 before the first) when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  period?: number;

  /** The period's full length when absent. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LONGEST_PERIOD_SECONDS)
  secondsRemaining?: number;
}

/** The buzzer: records a period_end event and stops the clock at zero. */
export class EndPeriodDto extends MatchCommandDto {
  /** Whether an intermission follows (true when absent); false at the end of the game. */
  @IsOptional()
  @IsBoolean()
  intermission?: boolean;
}
