import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import PDFDocument from 'pdfkit';
import { Clock } from '@app/common';
import { UsersService } from '../../users/users.service';
import { Payment, PaymentKind, PaymentMethod } from '../payment.types';
import { RECEIPT_TEMPLATE } from './receipt.template';

export interface ReceiptView {
  paymentId: string;
  issuedAt: string;
  description: string;
  teacherName: string;
  studentName: string;
  method: string;
  amount: string;
  charged: string;
  state: string;
  refunds: Array<{ at: string; amount: string; reason: string; status: string }>;
}

/** Formats integer minor units with the currency's own number of decimals (Intl knows ISO 4217). */
export function formatMoney(amountMinor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** A payment's receipt: HTML from a Handlebars template, and the same lines as a PDF (pdfkit). */
@Injectable()
export class ReceiptService {
  private readonly template = Handlebars.compile<ReceiptView>(RECEIPT_TEMPLATE, { strict: true });

  constructor(
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async view(payment: Payment): Promise<ReceiptView> {
    const [teacher, student] = await Promise.all([
      this.users.credentialsById(payment.teacherId),
      this.users.credentialsById(payment.studentId),
    ]);
    const money = (minor: number) => formatMoney(minor, payment.currency);
    return {
      paymentId: payment.id,
      issuedAt: this.clock.now().toISOString(),
      description: payment.description,
      teacherName: teacher?.user.displayName ?? payment.teacherId,
      studentName: student?.user.displayName ?? payment.studentId,
      method:
        payment.kind === PaymentKind.PACKAGE
          ? 'card (package)'
          : payment.method === PaymentMethod.CREDIT
            ? 'package credit'
            : 'card',
      amount: money(payment.amountMinor),
      charged: money(payment.chargedMinor),
      state: payment.state,
      refunds: payment.refunds.map((r) => ({
        at: r.at,
        amount: money(r.amountMinor),
        reason: r.reason,
        status: r.status,
      })),
    };
  }

  html(view: ReceiptView): string {
    return this.template(view);
  }

  pdf(view: ReceiptView): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      // A fixed creation date keeps the same receipt's bytes stable.
      const doc = new PDFDocument({
        size: 'A4',
        margin: 50,
        info: { Title: `Receipt ${view.paymentId}`, CreationDate: new Date(view.issuedAt) },
      });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.fontSize(18).text('Take Sessions — receipt');
      doc.moveDown().fontSize(11);
      const lines: Array<[string, string]> = [
        ['Payment', view.paymentId],
        ['Issued', view.issuedAt],
        ['Item', view.description],
        ['Teacher', view.teacherName],
        ['Student', view.studentName],
        ['Paid with', view.method],
        ['Price', view.amount],
        ['Charged', view.charged],
        ...view.refunds.map((r): [string, string] => [`Refund ${r.at}`, `-${r.amount} (${r.reason}, ${r.status})`]),
        ['Status', view.state],
      ];
      for (const [label, value] of lines) doc.text(`${label}: ${value}`);
      doc.end();
    });
  }
}
