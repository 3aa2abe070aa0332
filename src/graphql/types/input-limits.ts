import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { characterCount } from '../../common/text';

/**
 * At most `max` characters (`characterCount`). Every text input with a length check in the schema uses this
 * rather than class-validator's MaxLength, which counts UTF-16 units.
 */
export function MaxCharacters(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCharacters',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && characterCount(value) <= max,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'text'} must be at most ${max} characters`,
      },
    },
    options,
  );
}

/** At least `min` characters (`characterCount`), for the same reason as MaxCharacters. */
export function MinCharacters(min: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'minCharacters',
      constraints: [min],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && characterCount(value) >= min,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'text'} must be at least ${min} characters`,
      },
    },
    options,
  );
}
