import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * At most `max` characters as the database's checks count them (PostgreSQL's length(): code points). Every text
 * input with a length check in the schema uses this rather than class-validator's MaxLength, which does not count
 * emoji presentation selectors: text it accepts could still break the check and fail as an internal error
 * instead of naming the field.
 */
export function MaxCharacters(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCharacters',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'text'} must be at most ${max} characters`,
      },
    },
    options,
  );
}
