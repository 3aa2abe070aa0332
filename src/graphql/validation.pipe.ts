import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { BadUserInputError } from './errors';

class InputFailure extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

function firstFailure(errors: ValidationError[], path: string[] = []): InputFailure {
  for (const error of errors) {
    const here = [...path, error.property];
    if (error.constraints) return new InputFailure(here.join('.'), Object.values(error.constraints)[0]);
    const nested = firstFailure(error.children ?? [], here);
    if (nested.field) return nested;
  }
  return new InputFailure(undefined, 'Invalid input');
}

/**
 * Input classes declare their limits with class-validator; a failure is BAD_USER_INPUT naming the field as the
 * client wrote it, e.g. `input.email`.
 */
@Injectable()
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({ transform: true, forbidUnknownValues: false, exceptionFactory: (errors) => firstFailure(errors) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof InputFailure)) throw error;
      const field = [metadata.data, error.field].filter(Boolean).join('.') || undefined;
      throw new BadUserInputError(error.message, field);
    }
  }
}
