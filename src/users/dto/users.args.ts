import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ConnectionArgs, NullMeansOmitted } from '@app/common';
import { Role, UserStatus } from '../user.types';

@InputType()
export class UsersFilter {
  @Field(() => Role, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(Role)
  role?: Role;

  @Field(() => UserStatus, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(UserStatus)
  status?: UserStatus;

  @Field({ nullable: true, description: 'E-mail prefix or part of the display name, case-insensitive.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsString()
  @Length(1, 100)
  search?: string;
}

@ArgsType()
export class UsersArgs extends ConnectionArgs {
  @Field(() => UsersFilter, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => UsersFilter)
  filter?: UsersFilter;
}
