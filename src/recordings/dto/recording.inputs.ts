import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ConnectionArgs, IsEntityId } from '@app/common';

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

@ArgsType()
export class PracticeAssignmentsArgs extends ConnectionArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Teachers: a student of yours (their assignments from your lessons). Omit for your own.',
  })
  @IsOptional()
  @IsEntityId()
  studentId?: string | null;
}

@ArgsType()
export class StudentProgressArgs extends ConnectionArgs {
  @Field(() => ID, { description: 'The student (a teacher sees the lessons with you).' })
  @IsEntityId()
  studentId: string;
}

@ArgsType()
export class SetAssignmentDoneArgs {
  @Field(() => ID, { description: 'A recorded lesson you took.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => Int, { description: 'The assignment’s index in that lesson.' })
  @IsInt()
  @Min(0)
  @Max(99)
  index: number;

  @Field({ description: 'true: practised; false: not yet.' })
  @IsBoolean()
  done: boolean;
}
