import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NullMeansOmitted } from '../validation/null-policy';
import { MAX_CURSOR_LENGTH } from './cursor';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;
/** Page size when the client does not say. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Forward pagination arguments of every connection field. Extend it to add filters:
 * `@ArgsType() class TeachersArgs extends ConnectionArgs { ... }`.
 */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Number of items to return (1-${MAX_PAGE_SIZE}).`,
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description: 'Opaque cursor: return the items after this one (`pageInfo.endCursor` of the previous page).',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string;
}

/**
 * The page size to query: `first`, or the default when the client omitted it or sent an explicit
 * `null` (the argument is nullable, as in Relay). Bounds are enforced by validation, not here.
 */
export function pageSizeOf(args: { first?: number | null }): number {
  return args.first ?? DEFAULT_PAGE_SIZE;
}
