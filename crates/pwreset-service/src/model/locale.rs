//! The languages the service writes in, and how one is chosen from a request.

/// A language the messages are written in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
    /// Spanish.
    Es,
}

impl Locale {
    /// Every supported language.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::De, Locale::Es];

    /// Reads a language tag (`en`, `de-DE`, `es_MX`, case-insensitive); `None` when unsupported.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "de" => Some(Locale::De),
            "es" => Some(Locale::Es),
            _ => None,
        }
    }

    /// The language's tag (`en`, `de`, `es`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Es => "es",
        }
    }

    /// `policy`'s messages in this language: its catalog's translation (Django's voice has a German
    /// and a Spanish one). A catalog without one (the `seed-002` texts, the original API's English)
    /// stays itself in English; in German or Spanish the German or Spanish catalog speaks instead,
    /// so that a requester who asked for those is not answered in English.
    pub fn policy_catalog(
        self,
        policy: &pwreset_core::Policy,
    ) -> &'static pwreset_core::messages::Catalog {
        let own = policy.catalog().in_language(self.tag());
        match self {
            Locale::En => own,
            Locale::De | Locale::Es => pwreset_core::messages::Catalog::by_name("django")
                .map_or(own, |django| django.in_language(self.tag())),
        }
    }

    /// The best supported language of an `Accept-Language` header (`de-CH, fr;q=0.9, en;q=0.5`):
    /// the highest-weighted supported one, English when none is.
    pub fn negotiate(accept_language: Option<&str>) -> Self {
        let Some(header) = accept_language else {
            return Locale::En;
        };
        let mut best: Option<(u16, Locale)> = None;
        for item in header.split(',').take(16) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| {
                    q.trim()
                        .parse::<f32>()
                        .ok()
                        .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                })
                .unwrap_or(0);
            if let Some(locale) = Locale::parse(tag)
                && weight > 0
                && best.is_none_or(|(w, _)| weight > w)
            {
                best = Some((weight, locale));
            }
        }
        best.map_or(Locale::En, |(_, locale)| locale)
    }
}
