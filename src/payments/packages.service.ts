import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, FieldProblem, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { Role } from '../users/user.types';
import type { Viewer } from '../auth/viewer';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { TeacherSchedulingSource } from '../teachers/teacher-scheduling';
import { LateCancellationRule, LessonPackage } from './payment.types';
import { PackagesRepository } from './packages.repository';

export interface PackageInput {
  id?: string;
  name: string;
  durationMinutes: number;
  credits: number;
  /** The price of the whole package. */
  amountMinor: number;
  currency: string;
  validityMonths: number;
  lateCancellation?: LateCancellationRule;
  active?: boolean;
}

/** Teachers define packages of credits for one of their offerings; students see the active ones. */
@Injectable()
export class PackagesService {
  constructor(
    private readonly packages: PackagesRepository,
    private readonly teachers: TeacherSchedulingSource,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  async upsert(viewer: Viewer, input: PackageInput, idempotencyKey?: string): Promise<LessonPackage> {
    return this.idempotency.runStandalone(
      { caller: viewer.userId, key: idempotencyKey, operation: 'upsertPackage', input },
      {
        execute: () => this.write(viewer, input),
        resultOf: (pkg) => ({ id: pkg.id }),
        replay: ({ id }) => this.packages.get(id),
      },
    );
  }

  private async write(viewer: Viewer, input: PackageInput): Promise<LessonPackage> {
    if (!viewer.roles.includes(Role.TEACHER)) throw new ForbiddenError('Only teachers sell packages');
    const existing = input.id ? await this.packages.get(input.id) : null;
    if (input.id && !existing) throw new NotFoundError('Package', input.id);
    if (existing && existing.teacherId !== viewer.userId) throw new ForbiddenError('This package is not yours');
    const teacher = await this.teachers.schedulingFor(viewer.userId);
    const problems: FieldProblem[] = [];
    const offering = teacher?.offerings.find((o) => o.durationMinutes === input.durationMinutes);
    if (!offering) {
      problems.push({
        field: 'input.durationMinutes',
        message: teacher
          ? `you offer ${teacher.offerings.map((o) => o.durationMinutes).join(', ')}-minute lessons, not ${input.durationMinutes}`
          : 'set up your teacher profile with offerings first',
      });
    } else {
      if (offering.currency !== input.currency)
        problems.push({
          field: 'input.currency',
          message: `you price ${offering.durationMinutes}-minute lessons in ${offering.currency}, not ${input.currency}`,
        });
      const single = offering.priceMinor * input.credits;
      if (input.amountMinor > single)
        problems.push({
          field: 'input.amountMinor',
          message: `a package may cost at most what its lessons cost one by one (${single} ${offering.currency} minor units)`,
        });
      if (input.amountMinor < input.credits)
        problems.push({ field: 'input.amountMinor', message: 'a package costs at least one minor unit per credit' });
    }
    if (problems.length) throw new ValidationFailedError(problems);
    const now = this.clock.now().toISOString();
    const pkg: LessonPackage = {
      id: existing?.id ?? ulid(),
      teacherId: viewer.userId,
      name: input.name,
      durationMinutes: input.durationMinutes,
      credits: input.credits,
      priceMinor: input.amountMinor,
      currency: input.currency,
      singlePriceMinor: offering!.priceMinor,
      validityMonths: input.validityMonths,
      lateCancellation: input.lateCancellation ?? existing?.lateCancellation ?? LateCancellationRule.CONSUME_CREDIT,
      active: input.active ?? existing?.active ?? true,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.packages.put(pkg);
    return pkg;
  }

  /** Active packages for everyone; the teacher also sees the inactive ones. */
  async ofTeacher(viewer: Viewer | undefined | null, teacherId: string): Promise<LessonPackage[]> {
    const all = await this.packages.ofTeacher(teacherId);
    return viewer?.userId === teacherId ? all : all.filter((p) => p.active);
  }

  get(id: string): Promise<LessonPackage | null> {
    return this.packages.get(id);
  }
}
