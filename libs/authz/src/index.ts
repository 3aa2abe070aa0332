export * from './authz.module';
export * from './casl-to-sql';
export * from './field-masking';
export * from './policy-coverage';
export * from './policy.decorator';
export * from './policy.guard';
