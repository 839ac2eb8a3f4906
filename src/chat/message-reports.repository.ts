import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { decodeAfter, encodeCursor, type Page } from '@app/common';
import type { MessageReport } from './chat.types';
import { MessageReportDoc } from './message-report.schema';

@Injectable()
export class MessageReportsRepository {
  constructor(@InjectModel(MessageReportDoc.name) private readonly model: Model<MessageReportDoc>) {}

  /** Stores the report unless this user already reported the message; returns the stored one. */
  async insertOnce(report: MessageReport): Promise<MessageReport> {
    const doc = await this.model
      .findOneAndUpdate(
        { messageId: report.messageId, reporterId: report.reporterId },
        { $setOnInsert: report },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<MessageReport>()
      .catch(async (err: { code?: number }) => {
        if (err.code !== 11000) throw err;
        return this.model.findOne({ messageId: report.messageId, reporterId: report.reporterId }).lean<MessageReport>();
      });
    return doc!;
  }

  /** Every report, newest first. */
  async page(limit: number, after?: string | null): Promise<Page<MessageReport>> {
    const cursor = decodeAfter<{ t: number; id: string }>(
      after,
      (p) => typeof p.id === 'string' && typeof p.t === 'number' && Number.isFinite(p.t),
    );
    const filter: Record<string, unknown> = {};
    if (cursor) {
      const t = new Date(cursor.t);
      filter.$or = [{ createdAt: { $lt: t } }, { createdAt: t, _id: { $lt: cursor.id } }];
    }
    const rows = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<MessageReport[]>();
    return {
      items: rows.slice(0, limit),
      nextCursor: rows.length > limit ? cursorOf(rows[limit - 1]) : null,
      cursorOf,
    };
  }
}

function cursorOf(r: MessageReport): string {
  return encodeCursor({ t: new Date(r.createdAt).getTime(), id: r._id });
}
