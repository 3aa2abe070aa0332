export * from './policy.decorator';
export * from './policy.guard';
