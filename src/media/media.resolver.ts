import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { IdArg } from '@app/common';
import { CurrentViewer, Public } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import { AppConfig } from '../config/app-config';
import type { GraphQLContext } from '../graphql/graphql-context';
import { CompletedPartInput, CreateUploadInput } from './dto/upload.inputs';
import { MediaUploadsService } from './media-uploads.service';
import { presentMedia } from './media.presenter';
import { MediaService } from './media.service';
import { ImageFormat, ImageSize } from './media.types';
import { MediaModel, MediaVariantModel, UploadTicketModel } from './models/media.model';
import { MediaUsageModel } from './models/media-usage.model';

@Resolver(() => MediaModel)
export class MediaResolver {
  constructor(
    private readonly uploads: MediaUploadsService,
    private readonly mediaService: MediaService,
    private readonly config: AppConfig,
  ) {}

  @Mutation(() => UploadTicketModel, {
    description:
      'Step 1 of an upload: reserves quota and returns where to send the file (a presigned POST, or presigned part URLs for lesson recordings). Rate limited per user.',
  })
  async createUpload(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The purpose, type, exact size and name of the file.' }) input: CreateUploadInput,
  ): Promise<UploadTicketModel> {
    const ticket = await this.uploads.createUpload(viewer, input);
    return {
      media: presentMedia(ticket.media),
      url: ticket.post?.url ?? null,
      fields: Object.entries(ticket.post?.fields ?? {}).map(([name, value]) => ({ name, value })),
      multipart: ticket.media.multipart
        ? {
            partSize: ticket.media.multipart.partSize,
            partCount: ticket.media.multipart.partCount,
            parts: (ticket.parts ?? []).map((url, i) => ({ partNumber: i + 1, url })),
          }
        : null,
      expiresAt: ticket.expiresAt,
    };
  }

  @Mutation(() => MediaModel, {
    description:
      'Step 3: checks the uploaded file (size, real type, decodes). A bad file is removed and answered with CONFLICT, extensions.reason naming the problem. Images then get their derivatives within seconds (status PROCESSING, then READY).',
  })
  async completeUpload(
    @CurrentViewer() viewer: Viewer,
    @IdArg() id: string,
    @Args('parts', {
      type: () => [CompletedPartInput],
      nullable: true,
      description: 'Multipart uploads only: every part with the ETag S3 answered.',
    })
    parts?: CompletedPartInput[] | null,
  ): Promise<MediaModel> {
    return presentMedia(await this.uploads.completeUpload(viewer, id, parts));
  }

  @Mutation(() => Boolean, { description: 'Deletes a media of yours (admins: anyone’s) with every file of it.' })
  deleteMedia(@CurrentViewer() viewer: Viewer, @IdArg() id: string): Promise<boolean> {
    return this.mediaService.delete(viewer, id);
  }

  @Public()
  @Query(() => MediaModel, {
    nullable: true,
    description:
      'A media item, or null when it does not exist or is not yours to see. Public media (avatars, profile media) are visible to everyone once READY; a lesson recording to the lesson’s teacher and student; a chat attachment, once sent, to both participants of its conversation.',
  })
  async media(@IdArg() id: string, @Context() ctx: GraphQLContext): Promise<MediaModel | null> {
    const media = await this.mediaService.visible(ctx.loaders, id, ctx.viewer);
    return media ? presentMedia(media) : null;
  }

  @Query(() => MediaUsageModel, { description: 'Your media quota and what you use of it.' })
  async myMediaUsage(@CurrentViewer() viewer: Viewer): Promise<MediaUsageModel> {
    const usage = await this.mediaService.usage(viewer);
    return { ...usage, maxCount: this.config.MEDIA_QUOTA_COUNT, maxBytes: this.config.MEDIA_QUOTA_BYTES };
  }

  // url, urlExpiresAt and variants take graphql-js's (parent) without parameter decorators, so Nest binds
  // them directly (no per-call wrapper): a page of teachers with galleries resolves them many times.
  @ResolveField(() => String, {
    nullable: true,
    description:
      'The file to show or play once READY: for images the DISPLAY_1600 JPEG (never the original, whose EXIF may hold GPS), else the file itself.',
  })
  async url(media: MediaModel): Promise<string | null> {
    return (await (media.urls ??= this.mediaService.url(media.record)))?.url ?? null;
  }

  @ResolveField(() => Date, {
    nullable: true,
    description: 'When url and the variant URLs stop working (private media: minutes); null when they do not expire.',
  })
  async urlExpiresAt(media: MediaModel): Promise<Date | null> {
    return (await (media.urls ??= this.mediaService.url(media.record)))?.expiresAt ?? null;
  }

  @ResolveField(() => [MediaVariantModel], { description: 'Images, once READY: every size in WebP and JPEG.' })
  variants(media: MediaModel): Promise<MediaVariantModel[]> {
    return (media.variantUrls ??= this.mediaService.variants(media.record));
  }

  @ResolveField(() => MediaVariantModel, {
    nullable: true,
    description: 'One derived image, e.g. the 128 px WebP thumbnail.',
  })
  async variant(
    @Parent() media: MediaModel,
    @Args('size', { type: () => ImageSize, description: 'Which size.' }) size: ImageSize,
    @Args('format', { type: () => ImageFormat, defaultValue: ImageFormat.WEBP, description: 'Which encoding.' })
    format: ImageFormat,
  ): Promise<MediaVariantModel | null> {
    const variants = await (media.variantUrls ??= this.mediaService.variants(media.record));
    return variants.find((v) => v.size === size && v.format === format) ?? null;
  }
}
