/** Case code `<district>-<yyyymmdd>-<6-digit daily sequence>`, e.g. `410104-20261129-000042`. */
export const CASE_CODE_PATTERN = /^\d{6}-\d{8}-\d{6}$/;

export function formatCaseCode(districtCode: string, localDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(districtCode)) throw new Error(`district code ${districtCode} is not 6 digits`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) throw new Error(`date ${localDate} is not YYYY-MM-DD`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) throw new Error(`daily sequence ${sequence} out of 1..999999`);
  return `${districtCode}-${localDate.replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
}
