//! Picking a page's texts by language: each page writes its words once per language the pages
//! speak ([`Translations`]) and takes those of the request's `Accept-Language`
//! ([`crate::model::http::Request::locale`]).

use crate::model::locale::Locale;

/// A page's texts in every language the pages speak.
pub struct Translations<T: 'static> {
    /// English (also what an unknown or missing `Accept-Language` gets).
    pub en: &'static T,
    /// German.
    pub de: &'static T,
    /// Spanish.
    pub es: &'static T,
}

impl<T> Translations<T> {
    /// The texts of `locale`.
    pub fn of(&self, locale: Locale) -> &'static T {
        match locale {
            Locale::En => self.en,
            Locale::De => self.de,
            Locale::Es => self.es,
        }
    }
}
