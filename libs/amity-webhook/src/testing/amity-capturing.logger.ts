import type { LoggerService } from '@nestjs/common';

/** One call captured by {@link AmityCapturingLogger}. */
export interface AmityCapturedLine {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  /** The message alone (the first argument). */
  readonly message: string;
  /** Every argument (message, stack, context), joined. */
  readonly text: string;
}

/**
 * A Nest logger that keeps every line, so tests can assert on what was (and was not) logged, e.g.
 * that no webhook secret ever reaches the logs: `NestFactory.create(AppModule, adapter, { logger })`.
 */
export class AmityCapturingLogger implements LoggerService {
  readonly lines: AmityCapturedLine[] = [];

  log(...args: unknown[]): void {
    this.push('log', args);
  }
  error(...args: unknown[]): void {
    this.push('error', args);
  }
  warn(...args: unknown[]): void {
    this.push('warn', args);
  }
  debug(...args: unknown[]): void {
    this.push('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.push('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.push('fatal', args);
  }

  /** Every line, one per row, prefixed with its level. */
  text(): string {
    return this.lines.map((line) => `${line.level}: ${line.text}`).join('\n');
  }

  /** The messages logged at one level. */
  at(level: AmityCapturedLine['level']): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }

  private push(level: AmityCapturedLine['level'], args: unknown[]): void {
    const parts = args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : String(arg)));
    this.lines.push({ level, message: parts[0] ?? '', text: parts.join(' | ') });
  }
}
