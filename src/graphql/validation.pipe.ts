import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { BadUserInputError } from '../common/errors';

class InputFailure extends Error {
  constructor(
    /** Within the argument: `.identifiers[0].value`; empty for the argument itself. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The first failed constraint, at its path written as clients write it (`identifiers[0].value`). */
function firstFailure(errors: ValidationError[], path = ''): InputFailure | undefined {
  for (const error of errors) {
    const here = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : `${path}.${error.property}`;
    if (error.constraints) return new InputFailure(here, Object.values(error.constraints)[0]);
    const nested = firstFailure(error.children ?? [], here);
    if (nested) return nested;
  }
  return undefined;
}

/** Where, in an argument as the client wrote it, a text holds U+0000, which PostgreSQL text cannot store. */
function nulCharacterAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulCharacterAt(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Input classes declare their limits with class-validator; a failure is BAD_USER_INPUT naming the field as the
 * client wrote it, e.g. `input.email`. Every argument (named: parents and the context are not client input)
 * is also refused if any text in it holds a NUL character, here rather than as a database failure.
 */
@Injectable()
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      forbidUnknownValues: false,
      exceptionFactory: (errors) => firstFailure(errors) ?? new InputFailure('', 'Invalid input'),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const nul = typeof metadata.data === 'string' ? nulCharacterAt(value, metadata.data) : undefined;
    if (nul) throw new BadUserInputError('Text may not contain the NUL character', nul);
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof InputFailure)) throw error;
      // Every argument is named (@Args('name')), so the field starts with its name.
      throw new BadUserInputError(error.message, `${metadata.data ?? ''}${error.path}`.replace(/^\./, ''));
    }
  }
}
