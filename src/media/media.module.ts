import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BookingsModule } from '../bookings/bookings.module';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { ChatAttachmentsService } from './chat-attachments.service';
import { MediaAccessService } from './media-access.service';
import { MediaDerivativesService } from './media-derivatives.service';
import { MediaImages } from './media-images.service';
import { MediaJobs } from './media-jobs';
import { MediaLoader } from './media.loader';
import { MediaObjectsRepository } from './media-objects.repository';
import { MediaQuotaRepository } from './media-quota.repository';
import { MediaRemovalService } from './media-removal.service';
import { MediaResolver } from './media.resolver';
import { MEDIA_MODEL, MediaSchema } from './media.schema';
import { MediaService } from './media.service';
import { MediaUploadsService } from './media-uploads.service';
import { MediaRepository } from './media.repository';
import { ProfileMediaService } from './profile-media.service';
import { TeacherMediaResolver, UserAvatarResolver } from './profile-media.resolver';

/**
 * Media: direct uploads to S3 (presigned POST or multipart), verification, image derivatives,
 * access rules and URLs, quotas, cleanup; the media of teacher profiles and avatars.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: MEDIA_MODEL, schema: MediaSchema }]),
    BookingsModule,
    TeachersModule,
    UsersModule,
  ],
  providers: [
    MediaRepository,
    MediaObjectsRepository,
    MediaQuotaRepository,
    MediaLoader,
    MediaAccessService,
    MediaImages,
    MediaRemovalService,
    MediaDerivativesService,
    MediaUploadsService,
    MediaService,
    ProfileMediaService,
    ChatAttachmentsService,
    MediaJobs,
    MediaResolver,
    TeacherMediaResolver,
    UserAvatarResolver,
  ],
  exports: [MediaUploadsService, MediaService, ChatAttachmentsService],
})
export class MediaModule {}
