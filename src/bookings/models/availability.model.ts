import { Field, ObjectType } from '@nestjs/graphql';
import { Weekday } from '../availability/availability.types';

@ObjectType()
export class AvailabilityWindow {
  @Field(() => Weekday)
  weekday: Weekday;

  @Field({ description: "Local start in the teacher's zone, HH:mm." })
  start: string;

  @Field({ description: "Local end in the teacher's zone, HH:mm (24:00 = midnight)." })
  end: string;
}

@ObjectType()
export class AvailabilityTimeRange {
  @Field()
  start: string;

  @Field()
  end: string;
}

@ObjectType()
export class AvailabilityOverride {
  @Field({ description: 'Local date YYYY-MM-DD.' })
  date: string;

  @Field(() => [AvailabilityTimeRange], { description: 'Replaces the weekly windows of that date; empty = day off.' })
  windows: AvailabilityTimeRange[];
}
