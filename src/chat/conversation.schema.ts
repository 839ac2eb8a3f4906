import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { MemberState } from './chat.types';

/** One conversation per pair of users, with its read state and the highest message position. */
@Schema({ collection: 'chat_conversations', versionKey: false, minimize: false })
export class ConversationDoc {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) pairKey: string;
  @Prop({ type: [String], required: true }) participantIds: string[];
  @Prop({ required: true, default: 0 }) seq: number;
  @Prop({ required: true }) lastActivityAt: Date;
  @Prop({ required: true }) createdAt: Date;
  @Prop({ type: [String], default: [] }) blockedBy: string[];
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) members: Record<string, MemberState>;
}

export const ConversationSchema = SchemaFactory.createForClass(ConversationDoc);
// One conversation per pair, also when both write their first message at once.
ConversationSchema.index({ pairKey: 1 }, { unique: true });
// A user's conversations by last activity, with a stable tie-break for cursors.
ConversationSchema.index({ participantIds: 1, lastActivityAt: -1, _id: -1 });
