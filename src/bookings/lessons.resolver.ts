import { Args, Context, Mutation, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { DateTime } from 'luxon';
import { connectionFromPage, IdArg, NotFoundError, pageSizeOf } from '@app/common';
import { CurrentViewer, Public } from '../auth/guards/auth.decorators';
import type { GraphQLContext } from '../graphql/graphql-context';
import { TeacherModel } from '../teachers/models/teacher.model';
import { presentTeacher } from '../teachers/teacher.presenter';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import { isAdmin, type Viewer } from '../auth/viewer';
import { UsersService } from '../users/users.service';
import { TeachersService } from '../teachers/teachers.service';
import { AvailabilityService } from './availability/availability.service';
import {
  IDEMPOTENCY_DOC,
  MyLessonsArgs,
  OpenSlotsArgs,
  RequestLessonInput,
  RequestLessonSeriesInput,
  RescheduleLessonInput,
  SetLessonMeetingUrlArgs,
} from './dto/lesson.inputs';
import { LessonPlaces } from './lesson-places.service';
import { LessonSubscriptions } from './lesson-subscriptions.service';
import { presentLesson } from './lesson.presenter';
import { LessonQueriesService } from './lesson-queries.service';
import { LessonsService } from './lessons.service';
import { LessonConnection, LessonModel, LessonPlace, OpenSlot } from './models/lesson.model';

const idempotencyArg = {
  name: 'idempotencyKey',
  type: () => String,
  nullable: true,
  description: IDEMPOTENCY_DOC,
} as const;
const reasonArg = {
  name: 'reason',
  type: () => String,
  nullable: true,
  description: 'Why, shown to the other participant (at most 500 characters).',
} as const;

/** An instant as ISO-8601 with the offset of a zone. */
function localIso(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISO()!;
}

@Resolver(() => LessonModel)
export class LessonsResolver {
  constructor(
    private readonly lessons: LessonsService,
    private readonly queries: LessonQueriesService,
    private readonly availability: AvailabilityService,
    private readonly events: LessonSubscriptions,
    private readonly users: UsersService,
    private readonly teachers: TeachersService,
    private readonly places: LessonPlaces,
  ) {}

  @Public()
  @Query(() => [OpenSlot], {
    description: 'Bookable starts of a teacher in [from, to) (at most 62 days) for a lesson length the teacher offers.',
  })
  async openSlots(@Args() args: OpenSlotsArgs, @Context() ctx: GraphQLContext): Promise<OpenSlot[]> {
    const { slots } = await this.availability.openSlots(args.teacherId, args.from, args.to, args.durationMinutes);
    const studentZone =
      args.timeZone ?? (ctx.viewer ? (await this.users.find(ctx.loaders, ctx.viewer.userId))?.timeZone : undefined);
    return slots.map((s) => ({
      start: s.start,
      end: s.end,
      teacherLocalStart: s.localStart,
      studentLocalStart: studentZone ? localIso(s.start, studentZone) : null,
    }));
  }

  @Query(() => LessonModel, {
    nullable: true,
    description:
      'A lesson, for its teacher, its student and admins; null when there is none (FORBIDDEN for anyone else).',
  })
  async lesson(@CurrentViewer() viewer: Viewer, @IdArg('id', 'The lesson.') id: string): Promise<LessonModel | null> {
    const lesson = await this.lessons.find(viewer, id);
    return lesson && presentLesson(lesson);
  }

  @Query(() => LessonConnection, { description: "The viewer's lessons as teacher or as student, by start time." })
  async myLessons(@CurrentViewer() viewer: Viewer, @Args() args: MyLessonsArgs): Promise<LessonConnection> {
    const page = await this.queries.myLessons(viewer, args, pageSizeOf(args));
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: presentLesson });
  }

  @Mutation(() => LessonModel, {
    description:
      'Asks a teacher for a slot. The PENDING lesson holds the slot until the teacher confirms or declines, or it expires.',
  })
  async requestLesson(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The teacher, start, length and format.' }) input: RequestLessonInput,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.request(viewer, input, key));
  }

  @Mutation(() => [LessonModel], {
    description: 'Books a weekly series: every occurrence is taken, or none and the conflicting dates are named.',
  })
  async requestLessonSeries(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The first lesson and how many weeks.' }) input: RequestLessonSeriesInput,
    @Args(idempotencyArg) key?: string,
  ) {
    return (await this.lessons.requestSeries(viewer, input, key)).map(presentLesson);
  }

  @Mutation(() => LessonModel, { description: 'Teacher: accepts a PENDING request.' })
  async confirmLesson(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The lesson.') id: string,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.confirm(viewer, id, key));
  }

  @Mutation(() => LessonModel, { description: 'Teacher: turns a PENDING request down and frees the slot.' })
  async declineLesson(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The lesson.') id: string,
    @Args(reasonArg) reason?: string,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.decline(viewer, id, reason, key));
  }

  @Mutation(() => LessonModel, {
    description:
      "Either side cancels before the start; inside the teacher's cancellation notice it is recorded as late.",
  })
  async cancelLesson(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The lesson.') id: string,
    @Args(reasonArg) reason?: string,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.cancel(viewer, id, reason ?? '', key));
  }

  @Mutation(() => [LessonModel], {
    description: 'Cancels this occurrence of a series and every later one still active.',
  })
  async cancelLessonSeries(
    @CurrentViewer() viewer: Viewer,
    @IdArg('fromLessonId', 'The first occurrence to cancel.') id: string,
    @Args(reasonArg) reason?: string,
  ) {
    return (await this.lessons.cancelFollowing(viewer, id, reason ?? '')).map(presentLesson);
  }

  @Mutation(() => LessonModel, {
    description: 'Moves a lesson atomically. A student moving a confirmed lesson sends it back to PENDING.',
  })
  async rescheduleLesson(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The lesson and its new start.' }) input: RescheduleLessonInput,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.reschedule(viewer, input.lessonId, input.start, key));
  }

  @Mutation(() => LessonModel, {
    description:
      "Teacher: sets the meeting link of one ONLINE lesson (PENDING or CONFIRMED); null goes back to your profile's default link.",
  })
  async setLessonMeetingUrl(
    @CurrentViewer() viewer: Viewer,
    @Args() args: SetLessonMeetingUrlArgs,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.setMeetingUrl(viewer, args.lessonId, args.meetingUrl ?? null, key));
  }

  @Mutation(() => LessonModel, { description: 'Teacher, after the end: the lesson took place.' })
  async completeLesson(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The lesson.') id: string,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.complete(viewer, id, key));
  }

  @Mutation(() => LessonModel, { description: 'Teacher, after the end: the student did not come.' })
  async markNoShow(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The lesson.') id: string,
    @Args(idempotencyArg) key?: string,
  ) {
    return presentLesson(await this.lessons.markNoShow(viewer, id, key));
  }

  @Subscription(() => LessonModel, {
    description: "Every change of the viewer's lessons (as teacher or student).",
    resolve(
      this: LessonsResolver,
      payload: { lessonUpdated: Parameters<typeof presentLesson>[0] },
      _args: unknown,
      ctx: GraphQLContext,
    ) {
      // A subscription's context lives long: give each event fresh loaders, so names are current.
      ctx.loaders = this.queries.freshLoaders();
      return presentLesson(payload.lessonUpdated);
    },
  })
  lessonUpdated(@CurrentViewer() viewer: Viewer) {
    return this.events.subscribe(viewer.userId);
  }

  // Field resolvers take graphql-js's (parent, args, context) without parameter decorators, so
  // @nestjs/graphql calls them directly instead of through its per-call parameter and pipe
  // handling (they need no guard: the root field was authorised).
  @ResolveField(() => UserModel, { description: 'Through the request loader: a page of lessons costs one batch.' })
  async teacher(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel> {
    return this.participant(lesson.teacherId, ctx);
  }

  @ResolveField(() => TeacherModel, {
    nullable: true,
    description:
      "The teacher's profile (shown to the lesson's participants even if unpublished since), through the request loader.",
  })
  async teacherProfile(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<TeacherModel | null> {
    const profile = await this.teachers.find(ctx.loaders, lesson.teacherId);
    return profile ? presentTeacher(profile, ctx.viewer) : null;
  }

  @ResolveField(() => LessonPlace, {
    nullable: true,
    description:
      "Where the lesson happens: the meeting link (ONLINE), the student's address (STUDENT_HOME) or the teacher's exact studio (TEACHER_STUDIO). For the two participants and admins only.",
  })
  async place(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<LessonPlace | null> {
    const viewer = ctx.viewer ? { userId: ctx.viewer.userId, admin: isAdmin(ctx.viewer) } : null;
    return this.places.of(ctx.loaders, lesson.stored, viewer);
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      "The start in the student's time zone (their account's current zone), ISO-8601 with offset; null if the account is gone.",
  })
  async studentLocalStart(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<string | null> {
    const student = await this.users.find(ctx.loaders, lesson.studentId);
    return student ? localIso(lesson.start, student.timeZone) : null;
  }

  @ResolveField(() => UserModel, { description: 'The student (public fields), through the request loader.' })
  async student(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel> {
    return this.participant(lesson.studentId, ctx);
  }

  private async participant(id: string, ctx: GraphQLContext): Promise<UserModel> {
    const user = await this.users.find(ctx.loaders, id);
    if (!user) throw new NotFoundError('User', id);
    return presentUser(user, ctx.viewer);
  }
}
