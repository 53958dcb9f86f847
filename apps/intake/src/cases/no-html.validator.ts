export { NoHtml } from '@wangge/operations';
