import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BookingsModule } from '../bookings/bookings.module';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { Review, ReviewSchema } from './review.schema';
import { RatingAggregateConsumer } from './rating-aggregate.consumer';
import { ReviewPagesLoader } from './review-pages.loader';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsResolver, TeacherReviewsFieldResolver } from './reviews.resolver';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Review.name, schema: ReviewSchema }]),
    BookingsModule,
    TeachersModule,
    UsersModule,
  ],
  providers: [
    ReviewsRepository,
    ReviewsService,
    ReviewsResolver,
    TeacherReviewsFieldResolver,
    RatingAggregateConsumer,
    ReviewPagesLoader,
  ],
})
export class ReviewsModule {}
