/** The receipt's Handlebars template (HTML; every value is escaped by Handlebars). */
export const RECEIPT_TEMPLATE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipt {{paymentId}}</title></head>
<body>
<h1>Take Sessions — receipt</h1>
<p>Receipt for payment <strong>{{paymentId}}</strong>, issued {{issuedAt}}.</p>
<table>
<tr><th>Item</th><td>{{description}}</td></tr>
<tr><th>Teacher</th><td>{{teacherName}}</td></tr>
<tr><th>Student</th><td>{{studentName}}</td></tr>
<tr><th>Paid with</th><td>{{method}}</td></tr>
<tr><th>Price</th><td>{{amount}}</td></tr>
<tr><th>Charged</th><td>{{charged}}</td></tr>
{{#each refunds}}<tr><th>Refund {{this.at}}</th><td>−{{this.amount}} ({{this.reason}}, {{this.status}})</td></tr>
{{/each}}<tr><th>Status</th><td>{{state}}</td></tr>
</table>
</body></html>
`;
