import { registerDecorator, type ValidationOptions } from 'class-validator';

const TAG = /<\s*\/?\s*[a-zA-Z!?][^>]*>|<\s*\/?\s*[a-zA-Z]|javascript:/;

/** Plain text only: markup (tags, comments, `javascript:` links) is refused rather than stored. */
export function NoHtml(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'noHtml',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be plain text without HTML / 不可包含HTML`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !TAG.test(value) },
    });
}
