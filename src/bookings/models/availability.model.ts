import { Field, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar, LocalEndTimeScalar, LocalTimeScalar } from '@app/common';
import { Weekday } from '../availability/availability.types';

@ObjectType({ description: "A weekly window: the teacher's local times on a weekday." })
export class AvailabilityWindow {
  @Field(() => Weekday, { description: 'The weekday it repeats on.' })
  weekday: Weekday;

  @Field(() => LocalTimeScalar, { description: "Local start in the teacher's zone, HH:mm." })
  start: string;

  @Field(() => LocalEndTimeScalar, { description: "Local end in the teacher's zone, HH:mm (24:00 = midnight)." })
  end: string;
}

@ObjectType({ description: "A time range on one date, in the teacher's local time." })
export class AvailabilityTimeRange {
  @Field(() => LocalTimeScalar, { description: 'Local start, HH:mm.' })
  start: string;

  @Field(() => LocalEndTimeScalar, { description: 'Local end, HH:mm (24:00 = midnight).' })
  end: string;
}

@ObjectType({ description: "One date's own windows, replacing its weekly windows." })
export class AvailabilityOverride {
  @Field(() => LocalDateScalar, { description: "The date, in the teacher's zone." })
  date: string;

  @Field(() => [AvailabilityTimeRange], { description: 'Replaces the weekly windows of that date; empty = day off.' })
  windows: AvailabilityTimeRange[];
}
