//! The brand on the pages, from the same variables as the e-mails' ([`Branding`]): a header with
//! the logo (`BRAND_LOGO_URL`, its alt text `BRAND_NAME`) or the name, linking to `BRAND_URL`;
//! `BRAND_COLOR` as the accent (the submit button, links, the focus outline); and a line naming
//! `SUPPORT_EMAIL` at the end of every page. Without the variables, none of it: no header, no
//! line, and the stylesheet's own accent.
//!
//! Under the pages' Content-Security-Policy, which allows no inline style: the accent is set by a
//! `<style>` element holding only CSS custom properties, admitted by its SHA-256 hash, and only
//! when the colour is not the stylesheet's default ([`DEFAULT_BRAND_COLOR`]); the logo's image is
//! admitted by its origin, added to `img-src` ([`PageBrand::policy`]).

use std::borrow::Cow;

use base64::Engine;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use sha2::{Digest, Sha256};

use super::html::{Html, escape};
use crate::config::{Branding, DEFAULT_BRAND_COLOR};

/// The logo's height in CSS pixels (its `height` attribute; the stylesheet keeps the width in
/// proportion, up to a limit).
pub const LOGO_HEIGHT: &str = "40";

/// What of an address a `mailto:` URL must not carry as it is (RFC 6068: `%`, and what would
/// start a query or a fragment or end the address).
const MAILTO_ESCAPED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'%')
    .add(b'?')
    .add(b'#')
    .add(b'/')
    .add(b'[')
    .add(b']')
    .add(b'"')
    .add(b'<')
    .add(b'>');

/// The brand as the pages show it, and what their Content-Security-Policy must admit for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageBrand<'a> {
    /// `BRAND_NAME`.
    name: Option<&'a str>,
    /// `BRAND_URL`.
    url: Option<&'a str>,
    /// `BRAND_LOGO_URL` and its origin (only with a name, its alt text, and an origin a policy
    /// can name).
    logo: Option<(&'a str, String)>,
    /// The `<style>` element's content when `BRAND_COLOR` is not the stylesheet's default.
    accent: Option<String>,
    /// `SUPPORT_EMAIL`.
    support_email: Option<&'a str>,
}

impl<'a> PageBrand<'a> {
    /// What the pages show of `branding`.
    pub fn of(branding: &'a Branding) -> Self {
        let name = branding.name.as_deref();
        let logo = branding
            .logo_url
            .as_deref()
            .filter(|_| name.is_some())
            .and_then(|url| Some((url, image_origin(url)?)));
        Self {
            name,
            url: branding.url.as_deref(),
            logo,
            accent: accent_style(&branding.color),
            support_email: branding.support_email.as_deref(),
        }
    }

    /// `BRAND_NAME`, when set.
    pub fn name(&self) -> Option<&'a str> {
        self.name
    }

    /// `BRAND_URL`, when set.
    pub fn url(&self) -> Option<&'a str> {
        self.url
    }

    /// The `<style>` element setting the accent, for the `<head>` after the stylesheet; nothing
    /// for the default colour.
    pub fn style(&self, page: &mut Html) {
        if let Some(css) = &self.accent {
            page.raw("<style>").text(css).raw("</style>\n");
        }
    }

    /// The header (a `banner` landmark, before `<main>`): the logo, or the name, linking to
    /// `BRAND_URL` when set; nothing without a name.
    pub fn header(&self, page: &mut Html) {
        let Some(name) = self.name else {
            return;
        };
        page.raw("<header class=\"brand\">\n");
        if let Some(url) = self.url {
            page.raw("<a class=\"brand-link\" href=\"")
                .text(url)
                .raw("\">");
        }
        match &self.logo {
            Some((src, _)) => {
                page.raw("<img class=\"brand-logo\" src=\"")
                    .text(src)
                    .raw("\" alt=\"")
                    .text(name)
                    .raw("\" height=\"")
                    .raw(LOGO_HEIGHT)
                    .raw("\">");
            }
            None => {
                page.raw("<span class=\"brand-name\">")
                    .text(name)
                    .raw("</span>");
            }
        }
        if self.url.is_some() {
            page.raw("</a>");
        }
        page.raw("\n</header>\n");
    }

    /// The line naming `SUPPORT_EMAIL` (a `mailto:` link), at the end of `<main>`: `template` in
    /// the page's language, `{email}` where the address goes. Nothing without an address.
    pub fn support(&self, page: &mut Html, template: &str) {
        let Some(email) = self.support_email else {
            return;
        };
        let (before, after) = template.split_once("{email}").unwrap_or((template, ""));
        let href = format!("mailto:{}", utf8_percent_encode(email, MAILTO_ESCAPED));
        page.raw("<p class=\"support\">")
            .text(before)
            .raw("<a href=\"")
            .text(&href)
            .raw("\">")
            .text(email)
            .raw("</a>")
            .text(after)
            .raw("</p>\n");
    }

    /// `base`, a page's Content-Security-Policy, admitting what the brand adds: the accent's
    /// `<style>` by its hash (`style-src`) and the logo's origin (`img-src`). `base` itself when
    /// the brand adds neither.
    pub fn policy(&self, base: &'static str) -> Cow<'static, str> {
        let style_hash = self.accent.as_deref().map(style_hash);
        let logo_origin = self.logo.as_ref().map(|(_, origin)| origin.as_str());
        if style_hash.is_none() && logo_origin.is_none() {
            return Cow::Borrowed(base);
        }
        let directives: Vec<String> = base
            .split("; ")
            .map(|directive| {
                let name = directive.split(' ').next().unwrap_or_default();
                let added = match name {
                    "style-src" => style_hash.as_deref(),
                    "img-src" => logo_origin,
                    _ => None,
                };
                match added {
                    Some(source) => format!("{directive} {source}"),
                    None => directive.to_owned(),
                }
            })
            .collect();
        Cow::Owned(directives.join("; "))
    }
}

/// The `<style>` content that makes `color` the accent: the stylesheet's `--accent` and, for
/// hovering, `--accent-dark`. `None` for the stylesheet's own (the default), or for anything but
/// `#rrggbb` (what the configuration keeps).
fn accent_style(color: &str) -> Option<String> {
    let rgb = parse_rrggbb(color)?;
    if color.eq_ignore_ascii_case(DEFAULT_BRAND_COLOR) {
        return None;
    }
    let [r, g, b] = darker(rgb);
    // Only `#`, hex digits and CSS punctuation: escaping leaves it as it is, so the hash of this
    // text is the hash of what the page holds.
    let css = format!(
        ":root{{--accent:{};--accent-dark:#{r:02x}{g:02x}{b:02x}}}",
        escape(color)
    );
    Some(css)
}

/// `#rrggbb`'s red, green and blue.
fn parse_rrggbb(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The accent's hover shade: each channel at three quarters, so its contrast with white only
/// grows.
fn darker(rgb: [u8; 3]) -> [u8; 3] {
    rgb.map(|c| {
        // At most 191: fits.
        u8::try_from(u16::from(c) * 3 / 4).unwrap_or(c)
    })
}

/// A Content-Security-Policy source admitting the `<style>` element holding `css`.
fn style_hash(css: &str) -> String {
    let digest = Sha256::digest(css.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The origin of the logo at `url` (`https://cdn.example.com`), as a policy names it; `None` for
/// a URL without one.
fn image_origin(url: &str) -> Option<String> {
    let origin = url::Url::parse(url).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn branding(color: &str) -> Branding {
        Branding {
            name: Some("Acme".into()),
            url: Some("https://acme.test/".into()),
            logo_url: Some("https://cdn.acme.test:8443/img/logo.png?v=1".into()),
            color: color.into(),
            support_email: Some("help@acme.test".into()),
        }
    }

    #[test]
    fn nothing_is_added_without_a_brand() {
        let none = Branding::default();
        let brand = PageBrand::of(&none);
        assert_eq!(brand, PageBrand::default());
        let mut page = Html::new();
        brand.style(&mut page);
        brand.header(&mut page);
        brand.support(&mut page, "Help: {email}");
        assert_eq!(page.finish(), "");
        let base = "default-src 'none'; style-src 'self'; img-src 'self'";
        assert!(matches!(brand.policy(base), Cow::Borrowed(b) if b == base));
    }

    #[test]
    fn the_policy_admits_the_style_by_its_hash_and_the_logo_by_its_origin() {
        let configured = branding("#0f766e");
        let brand = PageBrand::of(&configured);
        let css = ":root{--accent:#0f766e;--accent-dark:#0b5852}";
        assert_eq!(brand.accent.as_deref(), Some(css));
        let mut page = Html::new();
        brand.style(&mut page);
        assert_eq!(page.finish(), format!("<style>{css}</style>\n"));
        let policy =
            brand.policy("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'");
        assert_eq!(
            policy,
            format!(
                "default-src 'none'; style-src 'self' {}; img-src 'self' https://cdn.acme.test:8443; base-uri 'none'",
                style_hash(css)
            )
        );
        // The hash is SHA-256 of the element's text, base64: what browsers compare.
        assert_eq!(
            style_hash("a"),
            "'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"
        );
    }

    #[test]
    fn the_default_colour_is_the_stylesheet_s() {
        let default = branding(DEFAULT_BRAND_COLOR);
        let brand = PageBrand::of(&default);
        assert_eq!(brand.accent, None);
        assert!(!brand.policy("style-src 'self'").contains("sha256"));
        // Anything but `#rrggbb` is never written (the configuration keeps nothing else).
        assert_eq!(accent_style("red;}</style>"), None);
        assert_eq!(accent_style("#abc"), None);
    }

    #[test]
    fn the_hover_shade_is_darker() {
        assert_eq!(darker([0xff, 0x80, 0x00]), [0xbf, 0x60, 0x00]);
        assert_eq!(darker([0x1d, 0x4e, 0xd8]), [0x15, 0x3a, 0xa2]);
    }

    /// The stylesheet's own accent is the default colour, and its hover shade the one a
    /// configured colour gets: without `BRAND_COLOR` no `<style>` is needed.
    #[test]
    fn the_stylesheet_s_accent_is_the_default_colour() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../worker/assets/assets/reset.css"
        );
        let css = std::fs::read_to_string(path).unwrap();
        let [r, g, b] = darker(parse_rrggbb(DEFAULT_BRAND_COLOR).unwrap());
        assert!(
            css.contains(&format!("  --accent: {DEFAULT_BRAND_COLOR};\n")),
            "{css}"
        );
        assert!(
            css.contains(&format!("  --accent-dark: #{r:02x}{g:02x}{b:02x};\n")),
            "{css}"
        );
    }

    #[test]
    fn the_support_address_is_a_mailto_link() {
        let configured = Branding {
            support_email: Some("o'neil&co?x@acme.test".into()),
            ..Branding::default()
        };
        let mut page = Html::new();
        PageBrand::of(&configured).support(&mut page, "Need help? Write to {email}.");
        assert_eq!(
            page.finish(),
            "<p class=\"support\">Need help? Write to <a href=\"mailto:o&#39;neil&amp;co%3Fx@acme.test\">o&#39;neil&amp;co?x@acme.test</a>.</p>\n"
        );
    }

    #[test]
    fn a_logo_is_linked_and_named() {
        let configured = branding("#0f766e");
        let mut page = Html::new();
        PageBrand::of(&configured).header(&mut page);
        assert_eq!(
            page.finish(),
            "<header class=\"brand\">\n<a class=\"brand-link\" href=\"https://acme.test/\"><img class=\"brand-logo\" src=\"https://cdn.acme.test:8443/img/logo.png?v=1\" alt=\"Acme\" height=\"40\"></a>\n</header>\n"
        );
        let plain = Branding {
            name: Some("Acme".into()),
            ..Branding::default()
        };
        let mut page = Html::new();
        PageBrand::of(&plain).header(&mut page);
        assert_eq!(
            page.finish(),
            "<header class=\"brand\">\n<span class=\"brand-name\">Acme</span>\n</header>\n"
        );
    }
}
