import { Module } from '@nestjs/common';
import { ImportWriterModule } from './import/import-writer.module.js';
import { ImportMetrics } from './import.metrics.js';
import { STATS_PROVIDER } from './jobs/import-runner.service.js';
import { NhlStatsProvider } from './provider/nhl/nhl.stats-provider.js';
import { FetchProviderHttpClient } from './provider/provider-http.client.js';

/** The provider (over HTTP) and the writer: what both the worker and the import CLI run. */
@Module({
  imports: [ImportWriterModule],
  providers: [
    ImportMetrics,
    FetchProviderHttpClient,
    { provide: STATS_PROVIDER, inject: [FetchProviderHttpClient], useFactory: (http: FetchProviderHttpClient) => new NhlStatsProvider(http) },
  ],
  exports: [ImportMetrics, STATS_PROVIDER, ImportWriterModule],
})
export class ImportCoreModule {}
