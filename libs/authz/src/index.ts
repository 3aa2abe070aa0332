export * from './casl-to-sql';
export * from './policy.decorator';
export * from './policy.guard';
