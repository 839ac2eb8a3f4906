import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsEntityId } from '@app/common';

@ArgsType()
export class SetRecordingConsentArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'A lesson of yours; omit for the standing consent to all your lessons.',
  })
  @IsOptional()
  @IsEntityId()
  lessonId?: string | null;

  @Field({ description: 'true grants, false revokes (and deletes the recordings the consent covered).' })
  @IsBoolean()
  granted: boolean;
}

@ArgsType()
export class AttachRecordingArgs {
  @Field(() => ID, { description: 'A lesson of yours that has started.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => ID, { description: 'Your READY LESSON_RECORDING upload for that lesson.' })
  @IsEntityId()
  mediaId: string;
}
