import { Inject, Injectable } from '@nestjs/common';
import { scrapedGauge } from '@wangge/operations';
import { CaseReportService } from '@wangge/reports';

/** Prometheus counters of the reports' group commit, read when /metrics is scraped. */
@Injectable()
export class ReportMetrics {
  constructor(@Inject(CaseReportService) reports: CaseReportService) {
    scrapedGauge('wangge_report_batches_total', 'Report batches written (one transaction each)', () => reports.batchCounters.batches);
    scrapedGauge('wangge_report_batched_total', 'Reports handed to report batches (mean batch = this / batches)', () => reports.batchCounters.items);
  }
}
