import { CsvError, parse } from 'csv-parse/sync';

/** One record of a CSV file: its line number (1-based, as an editor shows it) and its trimmed values. */
export interface CsvRow {
  line: number;
  values: string[];
}

/**
 * The records of a CSV file (UTF-8 with or without a BOM, comma separated, quoted as RFC 4180, any
 * line ending, empty lines skipped, values trimmed, rows of any length), or why it is not CSV.
 * The one reader of the chiefs CSV and the people CSV.
 */
export function readCsvRows(text: string): { rows: CsvRow[] } | { error: string } {
  const rows: CsvRow[] = [];
  try {
    parse(text, {
      bom: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      trim: true,
      on_record: (values: string[], context) => {
        rows.push({ line: context.lines, values });
        return null;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) return { error: err.message };
    throw err;
  }
  return { rows };
}
