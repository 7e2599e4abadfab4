import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MinimumAppVersion } from '@app/db';

@Injectable()
export class MinimumAppVersionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  all(): Promise<MinimumAppVersion[]> {
    return this.dataSource.getRepository(MinimumAppVersion).find();
  }
}
