// The codes alone: the package's main entry also loads the country names of 80 languages, unused here.
import countries from 'i18n-iso-countries/index.js';

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The ISO 3166-1 alpha-2 code in upper case, or null when it is not one. */
export function countryCode(value: string): string | null {
  const upper = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && countries.isValid(upper) ? upper : null;
}

/**
 * A BCP 47 language tag in canonical form (`en-us` → `en-US`) whose language is a known one (and whose region, if
 * any, is an ISO 3166-1 country), or null.
 */
export function languageTag(value: string): string | null {
  let canonical: string;
  try {
    [canonical] = Intl.getCanonicalLocales(value.trim());
  } catch {
    return null;
  }
  if (!canonical) return null;
  const locale = new Intl.Locale(canonical);
  if (!/^[a-z]{2,3}$/.test(locale.language) || LANGUAGE_NAMES.of(locale.language) === undefined) return null;
  if (locale.region && !/^\d{3}$/.test(locale.region) && countryCode(locale.region) === null) return null;
  return canonical;
}
