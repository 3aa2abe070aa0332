import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { normaliseEmail } from '../agencies/agencies.inputs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Database } from '../database/database.service';
import { AuthRepository } from './auth.repository';
import { PasswordService } from './password.service';

/**
 * The first platform admin comes from BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, and only while there
 * is no platform admin at all: once one exists the variables change nothing, so leaving them set (or a stale
 * password in them) can never reset an account. Replicas starting together serialise on an advisory lock.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly log = new Logger('BootstrapAdmin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: Database,
    private readonly passwords: PasswordService,
    private readonly repository: AuthRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapAdmin;
    if (!bootstrap) return;
    const email = normaliseEmail(bootstrap.email);
    const outcome = await this.database.transaction((manager) =>
      this.repository.bootstrapPlatformAdmin(manager, email, () => this.passwords.hash(bootstrap.password)),
    );
    if (outcome === 'created') this.log.log('created the first platform admin from BOOTSTRAP_ADMIN_EMAIL');
    // An existing person is never promoted silently: that would hand platform rights to whoever holds the account.
    if (outcome === 'taken') this.log.warn('BOOTSTRAP_ADMIN_EMAIL belongs to an existing person; not promoted');
  }
}
