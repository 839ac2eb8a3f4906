import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'chat_reports', versionKey: false })
export class MessageReportDoc {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) messageId: string;
  @Prop({ required: true }) conversationId: string;
  @Prop({ required: true }) reporterId: string;
  @Prop({ required: true }) authorId: string;
  @Prop({ required: true }) reason: string;
  @Prop({ type: String, default: '' }) text: string;
  @Prop({ required: true }) createdAt: Date;
}

export const MessageReportSchema = SchemaFactory.createForClass(MessageReportDoc);
// A user reports a message once (a second report changes nothing).
MessageReportSchema.index({ messageId: 1, reporterId: 1 }, { unique: true });
// Newest first for the moderators' list.
MessageReportSchema.index({ createdAt: -1, _id: -1 });
