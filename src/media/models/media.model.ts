import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  ImageFormat,
  ImageSize,
  Media,
  MediaKind,
  MediaPurpose,
  MediaRejectionReason,
  MediaStatus,
} from '../media.types';

@ObjectType('MediaRejection', { description: 'Why completeUpload refused a file.' })
export class MediaRejectionModel {
  @Field(() => MediaRejectionReason, { description: 'The problem, as a code.' })
  reason: MediaRejectionReason;

  @Field({ description: 'The problem in words, for people.' })
  message: string;
}

@ObjectType('MediaVariant', { description: 'A derived image: EXIF (GPS included) stripped, orientation applied.' })
export class MediaVariantModel {
  @Field(() => ImageSize, { description: 'Which size this is.' })
  size: ImageSize;

  @Field(() => ImageFormat, { description: 'Its encoding.' })
  format: ImageFormat;

  @Field(() => Int, { description: 'Width in pixels.' })
  width: number;

  @Field(() => Int, { description: 'Height in pixels.' })
  height: number;

  @Field(() => Int, { description: 'Size of the file in bytes.' })
  byteSize: number;

  @Field({ description: 'Public: stable (CDN or a presigned GET valid for days). Private: expires at urlExpiresAt.' })
  url: string;
}

@ObjectType('Media', {
  description:
    'An uploaded file. Images get derivatives (variants); audio and video their duration. URLs appear once READY.',
})
export class MediaModel {
  @Field(() => ID, { description: 'Pass it to completeUpload, setMyAvatar, setMyTeacherPhoto and the like.' })
  id: string;

  @Field(() => MediaPurpose, { description: 'What it was uploaded for.' })
  purpose: MediaPurpose;

  @Field(() => MediaKind, { description: 'Image, audio, video or document.' })
  kind: MediaKind;

  @Field(() => MediaStatus, { description: 'Where it is in its life; URLs appear at READY.' })
  status: MediaStatus;

  @Field({ description: 'The declared (and verified) MIME type.' })
  contentType: string;

  @Field(() => Float, { description: 'Size of the uploaded file in bytes.' })
  byteSize: number;

  @Field(() => String, { nullable: true, description: 'The name given at createUpload (no path), for display.' })
  fileName: string | null;

  @Field(() => Int, { nullable: true, description: 'Images and video: width in pixels (after EXIF orientation).' })
  width: number | null;

  @Field(() => Int, { nullable: true, description: 'Images and video: height in pixels (after EXIF orientation).' })
  height: number | null;

  @Field(() => Float, { nullable: true, description: 'Audio and video: duration in seconds.' })
  durationSeconds: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Audio and video: the codec, e.g. "MPEG 1 Layer 3", "PCM", "AAC".',
  })
  codec: string | null;

  @Field(() => String, { nullable: true, description: 'Images: a BlurHash (4 × 3 components) to draw while loading.' })
  blurhash: string | null;

  @Field(() => String, { nullable: true, description: 'Images: the dominant colour, #rrggbb.' })
  dominantColor: string | null;

  @Field(() => MediaRejectionModel, { nullable: true, description: 'REJECTED media: why.' })
  rejection: MediaRejectionModel | null;

  @Field(() => Date, { description: 'When createUpload made it.' })
  createdAt: Date;

  /** The stored item, for the URL fields (never exposed as such). */
  record: Media;
  /** The URLs once computed in this request, so url and urlExpiresAt agree. */
  urls?: Promise<{ url: string; expiresAt: Date | null } | null>;
  variantUrls?: Promise<MediaVariantModel[]>;
}

@ObjectType('UploadFormField', { description: 'A form field to send with the file in the presigned POST.' })
export class UploadFormFieldModel {
  @Field({ description: 'The form field name.' })
  name: string;

  @Field({ description: 'Its value, sent as is.' })
  value: string;
}

@ObjectType('UploadPart', { description: 'Where to PUT one part of a multipart upload.' })
export class UploadPartModel {
  @Field(() => Int, { description: 'From 1; give it back with the ETag in completeUpload.' })
  partNumber: number;

  @Field({ description: 'PUT the bytes of this part here; keep the ETag response header for completeUpload.' })
  url: string;
}

@ObjectType('MultipartUploadTicket', {
  description: 'Bytes [(n-1) × partSize, n × partSize) of the file go to part n; the last part takes the rest.',
})
export class MultipartUploadTicketModel {
  @Field(() => Int, { description: 'Bytes per part (the last part may be smaller).' })
  partSize: number;

  @Field(() => Int, { description: 'How many parts to upload.' })
  partCount: number;

  @Field(() => [UploadPartModel], { description: 'One presigned PUT URL per part, in order.' })
  parts: UploadPartModel[];
}

@ObjectType('UploadTicket', {
  description:
    'How to upload the file straight to storage: a multipart/form-data POST of `fields` then the file (field name "file", last) to `url`; or, for lesson recordings, PUTs of the parts in `multipart`. Then call completeUpload.',
})
export class UploadTicketModel {
  @Field(() => MediaModel, { description: 'The new media item, UPLOADING; keep its id for completeUpload.' })
  media: MediaModel;

  @Field(() => String, { nullable: true, description: 'The POST target; null for multipart uploads.' })
  url: string | null;

  @Field(() => [UploadFormFieldModel], { description: 'Form fields for the POST, in this order; empty for multipart.' })
  fields: UploadFormFieldModel[];

  @Field(() => MultipartUploadTicketModel, {
    nullable: true,
    description: 'LESSON_RECORDING: the parts to PUT; null for a POST upload.',
  })
  multipart: MultipartUploadTicketModel | null;

  @Field(() => Date, {
    description: 'The upload URLs stop working at this moment; completeUpload must follow soon after.',
  })
  expiresAt: Date;
}
