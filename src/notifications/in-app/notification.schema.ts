import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One entry of a user's in-app notification list. The id is derived from what caused it, so a repeat adds nothing. */
@Schema({ collection: 'notifications', versionKey: false })
export class Notification {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) userId: string;
  /** The mail template it mirrors, e.g. lesson-confirmed. */
  @Prop({ required: true }) kind: string;
  @Prop({ required: true }) title: string;
  @Prop({ required: true }) body: string;
  @Prop({ type: String, default: null }) link: string | null;
  @Prop({ type: String, default: null }) lessonId: string | null;
  @Prop({ required: true }) createdAt: Date;
  @Prop({ type: Date, default: null }) readAt: Date | null;
}

export const NotificationSchema = SchemaFactory.createForClass(Notification);
// The viewer's list, newest first, with a stable tie-break for cursors; and the unread count.
NotificationSchema.index({ userId: 1, createdAt: -1, _id: -1 });
NotificationSchema.index({ userId: 1, readAt: 1 });
