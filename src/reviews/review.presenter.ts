import type { Review } from './review.schema';
import type { ReviewModel } from './models/review.model';

export function presentReview(r: Review): ReviewModel {
  return {
    id: r._id,
    lessonId: r.lessonId,
    teacherId: r.teacherId,
    studentId: r.studentId,
    rating: r.rating,
    text: r.text,
    reply: r.reply ? { text: r.reply.text, at: new Date(r.reply.at) } : null,
    hidden: r.hidden,
    createdAt: new Date(r.createdAt),
  };
}
