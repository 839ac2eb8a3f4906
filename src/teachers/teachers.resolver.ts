import { Args, Context, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdArg } from '@app/common';
import { CurrentViewer, Public, Roles } from '../auth/guards/auth.decorators';
import type { GraphQLContext } from '../graphql/graphql-context';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import { Role } from '../users/user.types';
import type { Viewer } from '../auth/viewer';
import { UsersService } from '../users/users.service';
import { SearchTeachersArgs } from './dto/search-teachers.args';
import { UpsertTeacherProfileInput } from './dto/upsert-teacher-profile.input';
import { TeacherConnection, TeacherModel } from './models/teacher.model';
import { TeacherSearchService } from './search/teacher-search.service';
import { presentTeacher } from './teacher.presenter';
import { TeachersService } from './teachers.service';

@Resolver(() => TeacherModel)
export class TeachersResolver {
  constructor(
    private readonly teachers: TeachersService,
    private readonly searchService: TeacherSearchService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Query(() => TeacherModel, {
    nullable: true,
    description:
      "A teacher's profile by id (the teacher's user id); null when there is none or it is unpublished, unless it is yours or you are an admin.",
  })
  async teacher(
    @IdArg('id', "The teacher's user id.") id: string,
    @Context() ctx: GraphQLContext,
  ): Promise<TeacherModel | null> {
    const profile = await this.teachers.visibleById(ctx.loaders, id, ctx.viewer);
    return profile && presentTeacher(profile, ctx.viewer);
  }

  @Public()
  @Query(() => TeacherModel, {
    nullable: true,
    description:
      'The profile behind a public page, by slug (case-insensitive); null when none is visible. Same visibility as teacher(id).',
  })
  async teacherBySlug(
    @Args('slug', { description: 'The URL name of the page, e.g. `anna-bachler`.' }) slug: string,
    @Context() ctx: GraphQLContext,
  ): Promise<TeacherModel | null> {
    const profile = await this.teachers.visibleBySlug(ctx.loaders, slug, ctx.viewer);
    return profile && presentTeacher(profile, ctx.viewer);
  }

  @Public()
  @Query(() => TeacherConnection, {
    description: 'Published teachers matching every given filter, in the chosen order; stable cursors.',
  })
  searchTeachers(@Args() args: SearchTeachersArgs, @Context() ctx: GraphQLContext): Promise<TeacherConnection> {
    return this.searchService.search(ctx.loaders, args, ctx.viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, {
    description: "Creates (slug required) or edits the signed-in teacher's profile. New profiles are unpublished.",
  })
  async upsertMyTeacherProfile(
    @Args('input', { description: 'The fields to set.' }) input: UpsertTeacherProfileInput,
    @CurrentViewer() viewer: Viewer,
    @Context() ctx: GraphQLContext,
  ): Promise<TeacherModel> {
    return presentTeacher(await this.teachers.upsertMine(ctx.loaders, viewer, input), viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, {
    description:
      'Makes your profile public. CONFLICT with extensions.missing when it lacks instruments, offerings, formats or (for in-person formats) a location.',
  })
  async publishMyTeacherProfile(@CurrentViewer() viewer: Viewer): Promise<TeacherModel> {
    return presentTeacher(await this.teachers.publishMine(viewer), viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, { description: 'Hides your profile from everyone but you and admins.' })
  async unpublishMyTeacherProfile(@CurrentViewer() viewer: Viewer): Promise<TeacherModel> {
    return presentTeacher(await this.teachers.unpublishMine(viewer), viewer);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => TeacherModel, {
    description: "Admin: hides any teacher's profile (the teacher may publish it again).",
  })
  async unpublishTeacherProfile(
    @IdArg('id', "The teacher's user id.") id: string,
    @CurrentViewer() viewer: Viewer,
  ): Promise<TeacherModel> {
    return presentTeacher(await this.teachers.unpublish(id, 'ADMIN'), viewer);
  }

  /** Without parameter decorators: called directly by graphql-js (see LessonsResolver.teacher). */
  @ResolveField(() => UserModel, {
    nullable: true,
    description: "The teacher's account (public fields), through the request's user loader.",
  })
  async user(teacher: TeacherModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    const user = await this.users.find(ctx.loaders, teacher.id);
    return user && presentUser(user, ctx.viewer);
  }
}
