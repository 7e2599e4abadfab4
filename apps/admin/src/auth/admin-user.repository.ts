import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AdminUser } from '@app/db';

@Injectable()
export class AdminUserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByEmail(email: string): Promise<AdminUser | null> {
    return this.dataSource.getRepository(AdminUser).findOneBy({ email: email.toLowerCase() });
  }

  findById(id: string): Promise<AdminUser | null> {
    return this.dataSource.getRepository(AdminUser).findOneBy({ id });
  }

  /**
   * Counts a failed login and, at `maxFailures` in a row, locks the account.
   * One statement, so concurrent guesses cannot slip past the count.
   */
  async recordFailure(id: string, maxFailures: number, lockMinutes: number): Promise<{ locked: boolean }> {
    // In a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], a SELECT with rows.
    const [row] = await this.dataSource.query<{ locked: boolean }[]>(
      `WITH counted AS (
         UPDATE admin_users
            SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
                locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
          WHERE id = $1
      RETURNING locked_until IS NOT NULL AND locked_until > now() AS locked
       )
       SELECT locked FROM counted`,
      [id, maxFailures, lockMinutes],
    );
    return { locked: row?.locked ?? false };
  }

  async recordSuccess(id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE admin_users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1',
      [id],
    );
  }
}
