import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

@Schema({ _id: false })
export class ReviewReply {
  @Prop({ required: true }) text: string;
  @Prop({ required: true }) at: Date;
}

/** One review per completed lesson (unique lessonId); hidden reviews leave the rating aggregate. */
@Schema({ collection: 'reviews', versionKey: false })
export class Review {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) lessonId: string;
  @Prop({ required: true }) teacherId: string;
  @Prop({ required: true }) studentId: string;
  @Prop({ required: true, min: 1, max: 5 }) rating: number;
  @Prop({ required: true }) text: string;
  @Prop({ type: ReviewReply, default: null }) reply: ReviewReply | null;
  @Prop({ default: false }) hidden: boolean;
  @Prop({ type: String, default: null }) hiddenReason: string | null;
  @Prop({ required: true }) createdAt: Date;
}

export type ReviewDocument = HydratedDocument<Review>;
export const ReviewSchema = SchemaFactory.createForClass(Review);
// Once per lesson, enforced by the store even under concurrent submissions.
ReviewSchema.index({ lessonId: 1 }, { unique: true });
// A teacher's visible reviews, newest first, with a stable tie-break for cursors.
ReviewSchema.index({ teacherId: 1, hidden: 1, createdAt: -1, _id: -1 });
