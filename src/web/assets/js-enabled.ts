/**
 * GOV.UK Frontend's template runs this inline as the body opens, so styles meant for JavaScript apply before the
 * first paint; the pages' policy allows no inline script, so it is this file, loaded in the same place.
 */
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
