import { Injectable } from '@nestjs/common';
import { isAdmin, type Viewer } from '../auth/viewer';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import { Media, MediaPurpose, MediaStatus } from './media.types';

/** Whether a user takes part in a conversation: the chat feature answers (media knows no chat). */
export type ConversationMembership = (conversationId: string, userId: string) => Promise<boolean>;

/**
 * Who may see a media item. Owners and admins always; public purposes (avatars, profile media)
 * everyone once READY; a lesson recording the lesson's teacher and student; a chat attachment
 * the two participants of the conversation it was sent in.
 */
@Injectable()
export class MediaAccessService {
  private conversationMembership: ConversationMembership = () => Promise.resolve(false);

  constructor(private readonly lessons: LessonQueriesService) {}

  /** The chat feature plugs in its membership rule at boot (ChatAttachmentsAccess). */
  useConversationMembership(membership: ConversationMembership): void {
    this.conversationMembership = membership;
  }

  isOwnerOrAdmin(media: Media, viewer: Viewer | null | undefined): boolean {
    return !!viewer && (viewer.userId === media.ownerId || isAdmin(viewer));
  }

  async canView(media: Media, viewer: Viewer | null | undefined): Promise<boolean> {
    if (this.isOwnerOrAdmin(media, viewer)) return true;
    if (media.public) return media.status === MediaStatus.READY;
    if (!viewer || media.status !== MediaStatus.READY) return false;
    if (media.purpose === MediaPurpose.LESSON_RECORDING && media.context.lessonId) {
      return this.isParticipant(media.context.lessonId, viewer.userId);
    }
    if (media.purpose === MediaPurpose.CHAT_ATTACHMENT && media.context.conversationId) {
      return this.conversationMembership(media.context.conversationId, viewer.userId);
    }
    return false;
  }

  /** Whether the user is the teacher or the student of the lesson. */
  async isParticipant(lessonId: string, userId: string): Promise<boolean> {
    const lesson = await this.lessons.find(lessonId);
    return !!lesson && (lesson.teacherId === userId || lesson.studentId === userId);
  }
}
