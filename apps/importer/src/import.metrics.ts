import { Injectable } from '@nestjs/common';
import { registeredMetric } from '@app/bootstrap';
import { Counter, Histogram } from 'prom-client';

/** The importer's metrics, in the default registry that /metrics serves. */
@Injectable()
export class ImportMetrics {
  readonly jobs = registeredMetric(
    'faceoff_import_jobs_total',
    () => new Counter({ name: 'faceoff_import_jobs_total', help: 'Import jobs by name and outcome (completed, failed, retried).', labelNames: ['name', 'outcome'] }),
  );

  readonly providerLatency = registeredMetric(
    'faceoff_provider_request_seconds',
    () =>
      new Histogram({
        name: 'faceoff_provider_request_seconds',
        help: 'Statistics provider requests by endpoint and outcome (HTTP status, or unreachable).',
        labelNames: ['endpoint', 'outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

  readonly rowsChanged = registeredMetric(
    'faceoff_import_rows_changed_total',
    () => new Counter({ name: 'faceoff_import_rows_changed_total', help: 'Rows written by imports, by job and change (inserted, updated, hidden).', labelNames: ['job', 'change'] }),
  );
}
