/** The one bill as a self-contained, printable HTML page. */
import type { OneBill, OneBillRow } from './document.ts';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const rows = (items: OneBillRow[]) =>
  items
    .map(
      (r) =>
        `<tr><th>${esc(r.label)}</th><td class="amt">${esc(r.amount)}</td><td>${esc(r.note)}</td></tr>`,
    )
    .join('\n');

export function oneBillHtml(bill: OneBill): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(bill.title)} ${esc(bill.reference)}</title>
<style>
body{font-family:"Noto Sans SC","Microsoft YaHei",sans-serif;max-width:820px;margin:2em auto;color:#222}
h1{text-align:center;font-size:1.5em;margin-bottom:.2em}.ref{text-align:center;color:#555}
.note{border:1px solid #c00;color:#c00;padding:.4em;margin:.8em 0}
table{width:100%;border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #999;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3;width:9em;white-space:nowrap}td.amt{text-align:right;white-space:nowrap;width:9em}
h2{font-size:1.1em;margin:1em 0 .2em}footer{text-align:center;color:#777;margin-top:1.5em;font-size:.9em}
@media print{body{margin:0}}
</style></head><body>
<h1>${esc(bill.title)}</h1>
<p class="ref">结算单号 ${esc(bill.reference)}</p>
${bill.kindNote ? `<p class="note">${esc(bill.kindNote)}</p>` : ''}
<table>${bill.header.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n')}</table>
<h2>费用构成</h2><table>${rows(bill.fees)}</table>
<h2>三重保障各层支付</h2><table>${rows(bill.tiers)}</table>
<h2>合计</h2><table>${rows(bill.totals)}</table>
<footer>${esc(bill.footer)}</footer>
</body></html>`;
}
