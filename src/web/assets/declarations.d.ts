/** GOV.UK Frontend and MoJ Frontend ship JavaScript without type declarations: what the pages call of them. */
declare module 'govuk-frontend' {
  export function initAll(): void;
}
declare module '@ministryofjustice/frontend' {
  export function initAll(): void;
}
/** An operation document, bundled as its text (build.ts). */
declare module '*.graphql' {
  const text: string;
  export default text;
}
