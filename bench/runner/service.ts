import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Linux's clock ticks per second, in which /proc/<pid>/stat counts CPU time. */
const TICKS_PER_SECOND = 100;

/** The built service (`node dist/src/main.js`) in production mode, in a process of its own. */
export class Service {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Starts it against `databaseUrl` on `port` and resolves once /health/ready answers. */
  static async start(root: string, databaseUrl: string, port: number, jwtSecret: string): Promise<Service> {
    const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: jwtSecret,
        // Production's own level (info: a line per request), so logging costs what it costs in service; the lines
        // go to /dev/null below, the warnings and errors with them, and the exit status tells of a failed start.
        LOG_LEVEL: 'info',
        // A benchmark signs in a handful of people and sends thousands of requests a minute as each.
        RATE_LIMIT_PER_MINUTE: '0',
        // The job workers' polling would count as the requests' statements and CPU.
        JOBS_WORKERS: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const service = new Service(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited with status ${child.exitCode}`);
      const ready = await fetch(`${service.url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return service;
      if (Date.now() > deadline) throw new Error('the service did not become ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  static secret(): string {
    return randomBytes(32).toString('hex');
  }

  /** User plus system CPU the process has used, in milliseconds. */
  cpuMs(): number {
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  }

  /** The resident set's peak (VmHWM) since the last reset, in MB. */
  peakMemoryMb(): number {
    const line = readFileSync(`/proc/${this.child.pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : NaN;
  }

  /** Starts a new peak: writing 5 to clear_refs resets VmHWM to the current resident set. */
  resetPeakMemory(): void {
    writeFileSync(`/proc/${this.child.pid}/clear_refs`, '5');
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
