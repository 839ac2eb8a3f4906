import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One document per user who changed a preference; no document means every category is on. */
@Schema({ collection: 'notification_preferences', versionKey: false })
export class NotificationPreferences {
  /** The user id. */
  @Prop({ type: String, required: true }) _id: string;
  /** Categories whose mails the user switched off. */
  @Prop({ type: [String], default: [] }) emailOff: string[];
  @Prop({ required: true }) updatedAt: Date;
}

export const NotificationPreferencesSchema = SchemaFactory.createForClass(NotificationPreferences);
