import { IsString, Length } from 'class-validator';
import { MatchCommandDto } from './match-command.dto.js';

/** A line of live text, timed by the match clock (untimed before the first period). */
export class CommentaryLineDto extends MatchCommandDto {
  @IsString()
  @Length(1, 2000)
  text: string;
}
