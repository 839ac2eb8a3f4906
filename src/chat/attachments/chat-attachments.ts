import { Injectable } from '@nestjs/common';
import type { FieldProblem } from '@app/common';
import type { RequestLoaders } from '../../graphql/request-loaders';

/** What a participant sees of an attachment; the URL is short-lived and issued for this answer. */
export interface AttachmentView {
  id: string;
  /** IMAGE, AUDIO, VIDEO or DOCUMENT. */
  kind: string;
  contentType: string;
  byteSize: number;
  fileName: string | null;
  /** Null while the file is not ready (or no longer exists). */
  url: string | null;
  urlExpiresAt: Date | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

/**
 * The port through which chat uses the media module (uploads with purpose CHAT_ATTACHMENT). Chat
 * decides who may see a message; media owns the files.
 */
export abstract class ChatAttachments {
  /**
   * Problems with the attachments of a message `senderId` is sending: each id must be a completed
   * (READY) upload of the sender with purpose CHAT_ATTACHMENT. One problem per bad id, on the path
   * `${path}.${index}`. Empty when all are usable.
   */
  abstract check(senderId: string, ids: readonly string[], path: string): Promise<FieldProblem[]>;

  /**
   * The attachments of a message for one of its two participants (chat has checked that), in the
   * order given, with short-lived URLs; ids whose file is gone are left out. Called per message of a
   * page: an implementation batches through the request's loaders.
   */
  abstract present(ids: readonly string[], loaders: RequestLoaders): Promise<AttachmentView[]>;
}

/**
 * Stands in for the media module until it is merged: no attachment can be sent (each id is
 * refused, naming it) and none is shown. Replace the binding in ChatModule with the media
 * module's implementation of ChatAttachments.
 */
@Injectable()
export class AttachmentsNotAvailable extends ChatAttachments {
  check(_senderId: string, ids: readonly string[], path: string): Promise<FieldProblem[]> {
    return Promise.resolve(
      ids.map((_, i) => ({ field: `${path}.${i}`, message: 'attachments are not available on this server yet' })),
    );
  }

  present(): Promise<AttachmentView[]> {
    return Promise.resolve([]);
  }
}
