import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ConnectionArgs, NullMeansOmitted } from '@app/common';
import { Role, UserStatus } from '../user.types';

@InputType({ description: 'Filters of the admin user list (all given must match).' })
export class UsersFilter {
  @Field(() => Role, { nullable: true, description: 'Only users with this role.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(Role)
  role?: Role;

  @Field(() => UserStatus, { nullable: true, description: 'Only users in this status.' })
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
  @Field(() => UsersFilter, { nullable: true, description: 'Narrows the list (all given filters).' })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => UsersFilter)
  filter?: UsersFilter;
}
