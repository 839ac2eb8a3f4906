import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ValidateEachPipe } from '@app/common';
import { CurrentViewer, Roles } from '../../auth/guards/auth.decorators';
import { Role } from '../../users/user.types';
import type { Viewer } from '../../auth/viewer';
import { AvailabilityWindowInput, OverrideRangeArgs, SetAvailabilityOverridesInput } from '../dto/lesson.inputs';
import { AvailabilityOverride, AvailabilityWindow } from '../models/availability.model';
import { MAX_WEEKLY_WINDOWS } from './availability.rules';
import { AvailabilityService } from './availability.service';

/** A teacher's own availability, in local times of their profile's time zone. Students use openSlots. */
@Roles(Role.TEACHER)
@Resolver()
export class AvailabilityResolver {
  constructor(private readonly availability: AvailabilityService) {}

  @Query(() => [AvailabilityWindow], {
    description: "Teacher: your weekly windows (local times in your profile's time zone).",
  })
  myWeeklyAvailability(@CurrentViewer() viewer: Viewer): Promise<AvailabilityWindow[]> {
    return this.availability.weekly(viewer.userId);
  }

  @Query(() => [AvailabilityOverride], {
    description: 'Teacher: your date overrides between two local dates (YYYY-MM-DD, inclusive).',
  })
  myAvailabilityOverrides(@CurrentViewer() viewer: Viewer, @Args() { fromDate, toDate }: OverrideRangeArgs) {
    return this.availability.overrides(viewer.userId, fromDate, toDate);
  }

  @Mutation(() => [AvailabilityWindow], {
    description: 'Teacher: replaces your weekly windows, e.g. TUESDAY 16:00-20:00.',
  })
  setWeeklyAvailability(
    @CurrentViewer() viewer: Viewer,
    @Args(
      'windows',
      {
        type: () => [AvailabilityWindowInput],
        description: `Every weekly window (at most ${MAX_WEEKLY_WINDOWS}); the list replaces the current one.`,
      },
      new ValidateEachPipe('windows', AvailabilityWindowInput, MAX_WEEKLY_WINDOWS),
    )
    windows: AvailabilityWindowInput[],
  ) {
    return this.availability.setWeekly(viewer, windows);
  }

  @Mutation(() => Boolean, {
    description:
      'Teacher: sets extra hours or time off on dates (an empty window list is a day off), or clears overrides.',
  })
  async setAvailabilityOverrides(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The overrides to set and the dates to clear.' })
    input: SetAvailabilityOverridesInput,
  ): Promise<boolean> {
    await this.availability.setOverrides(viewer, input.overrides, input.clear);
    return true;
  }
}
