import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'chat_messages', versionKey: false })
export class MessageDoc {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) conversationId: string;
  @Prop({ required: true }) seq: number;
  @Prop({ required: true }) senderId: string;
  @Prop({ required: true }) clientMessageId: string;
  @Prop({ type: String, default: '' }) text: string;
  @Prop({ type: String, default: null }) lessonId: string | null;
  @Prop({ type: [String], default: [] }) attachmentIds: string[];
  @Prop({ default: false }) automatic: boolean;
  @Prop({ required: true }) createdAt: Date;
  @Prop({ type: Date, default: null }) editedAt: Date | null;
  @Prop({ type: Date, default: null }) deletedAt: Date | null;
}

export const MessageSchema = SchemaFactory.createForClass(MessageDoc);
// A position holds one message: this index places messages (MessagesRepository.place), and the
// order of a conversation is the order of `seq`, the same for everyone.
MessageSchema.index({ conversationId: 1, seq: 1 }, { unique: true });
// Deleting a message keeps the files another message of the conversation still carries.
MessageSchema.index({ attachmentIds: 1 });
// Idempotent send: a sender's client message id is stored once, also when retries race.
MessageSchema.index({ senderId: 1, clientMessageId: 1 }, { unique: true });
