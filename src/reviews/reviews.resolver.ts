import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { buildConnection, ConnectionArgs, IdArg, pageSizeOf } from '@app/common';
import { CurrentViewer, Public, Roles } from '../auth/guards/auth.decorators';
import type { GraphQLContext } from '../graphql/graphql-context';
import { TeacherModel } from '../teachers/models/teacher.model';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import { Role } from '../users/user.types';
import type { Viewer } from '../auth/viewer';
import { UsersService } from '../users/users.service';
import { CreateReviewInput, ReviewReplyArgs, TeacherReviewsArgs } from './dto/review.inputs';
import { ReviewConnection, ReviewModel } from './models/review.model';
import { presentReview } from './review.presenter';
import { ReviewPage, ReviewsService } from './reviews.service';

@Resolver(() => ReviewModel)
export class ReviewsResolver {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Query(() => ReviewConnection, { description: "A teacher's visible reviews, newest first." })
  async teacherReviews(@Args() args: TeacherReviewsArgs): Promise<ReviewConnection> {
    const page = await this.reviews.page(args.teacherId, pageSizeOf(args), args.after);
    return toConnection(page, args, () => this.reviews.countVisible(args.teacherId));
  }

  @Mutation(() => ReviewModel, {
    description: 'Student: reviews a COMPLETED lesson of yours (once per lesson): rating 1-5 and text.',
  })
  async createReview(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The lesson, rating and text.' }) input: CreateReviewInput,
  ): Promise<ReviewModel> {
    return presentReview(await this.reviews.create(viewer, input));
  }

  @Mutation(() => ReviewModel, { description: 'Teacher: replies once to a review of you.' })
  async replyToReview(@CurrentViewer() viewer: Viewer, @Args() args: ReviewReplyArgs): Promise<ReviewModel> {
    return presentReview(await this.reviews.reply(viewer, args.reviewId, args.text));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ReviewModel, { description: "Admin: hides a review; the teacher's rating follows." })
  async hideReview(
    @IdArg('id', 'The review.') id: string,
    @Args('reason', { type: () => String, nullable: true, description: 'Why (kept for moderators).' })
    reason?: string,
  ): Promise<ReviewModel> {
    return presentReview(await this.reviews.setHidden(id, true, reason ?? null));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ReviewModel, { description: 'Admin: shows a hidden review again.' })
  async unhideReview(@IdArg('id', 'The review.') id: string): Promise<ReviewModel> {
    return presentReview(await this.reviews.setHidden(id, false, null));
  }

  /** Without parameter decorators: called directly by graphql-js (see LessonsResolver.teacher). */
  @ResolveField(() => UserModel, { description: 'The reviewing student (public fields), through the request loader.' })
  async student(review: ReviewModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    const user = await this.users.find(ctx.loaders, review.studentId);
    return user ? presentUser(user, ctx.viewer) : null;
  }
}

/** `Teacher.reviews`: the same list as teacherReviews, on the profile; a page of teachers reads them in one query. */
@Resolver(() => TeacherModel)
export class TeacherReviewsFieldResolver {
  constructor(private readonly reviews: ReviewsService) {}

  @ResolveField('reviews', () => ReviewConnection, { description: 'Visible reviews, newest first.' })
  async reviewsOf(
    @Parent() teacher: TeacherModel,
    @Args() args: ConnectionArgs,
    @Context() ctx: GraphQLContext,
  ): Promise<ReviewConnection> {
    const page = await this.reviews.pageInRequest(ctx.loaders, teacher.id, pageSizeOf(args), args.after);
    return toConnection(page, args, () => this.reviews.countVisible(teacher.id));
  }
}

/** `totalCount` is a function: graphql-js calls it only when the field is asked for. */
function toConnection(page: ReviewPage, args: ConnectionArgs, totalCount: () => Promise<number>): ReviewConnection {
  const connection = buildConnection(page.reviews, {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: !!args.after,
    cursorOf: page.cursorOf,
    node: presentReview,
  });
  return { ...connection, totalCount };
}
