export { composeMail, escapeHtml, type Block, type Column, type MailContent } from './layout.js';
export {
  formatMoney,
  orderMail,
  orderMailKinds,
  shortOrderId,
  type OrderMailInput,
  type OrderMailItem,
  type OrderMailKind,
} from './orderMails.js';
