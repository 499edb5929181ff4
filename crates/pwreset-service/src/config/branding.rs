//! The brand e-mails and the hosted pages show: `BRAND_NAME`, `BRAND_URL`, `BRAND_LOGO_URL`,
//! `BRAND_COLOR` and `SUPPORT_EMAIL`, read into one [`Branding`].

use super::Kind;
use super::read::{Parser, UrlKind, Vars, url};

/// The longest `BRAND_NAME`, in characters.
pub const MAX_BRAND_NAME_CHARS: usize = 64;
/// The least contrast `BRAND_COLOR` must have with white (WCAG 2's AA for normal text): white
/// button text on it, and it as link text on white, stay readable.
pub const MIN_CONTRAST: f64 = 4.5;
/// `BRAND_COLOR` when unset: a blue with 6.7:1 against white. The pages' stylesheet
/// (`/assets/reset.css`) has it as its own accent, so a page in it needs no `<style>`.
pub const DEFAULT_BRAND_COLOR: &str = "#1d4ed8";

/// The brand: what e-mails and pages show of the product, and whom to ask for help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branding {
    /// The product's name (`BRAND_NAME`); `None`: messages and pages name no product.
    pub name: Option<String>,
    /// The product's site (`BRAND_URL`).
    pub url: Option<String>,
    /// The logo's image (`BRAND_LOGO_URL`); set only with a name, its alt text.
    pub logo_url: Option<String>,
    /// The accent colour, `#rrggbb` in lower case (`BRAND_COLOR`).
    pub color: String,
    /// The support address "contact support" names (`SUPPORT_EMAIL`).
    pub support_email: Option<String>,
}

impl Default for Branding {
    fn default() -> Self {
        Self {
            name: None,
            url: None,
            logo_url: None,
            color: DEFAULT_BRAND_COLOR.to_owned(),
            support_email: None,
        }
    }
}

impl Branding {
    /// Reads the section's brand variables, noting each problem in `vars`. A refused value reads
    /// as unset (its problem refuses the configuration anyway). Whether the URLs must be
    /// `https://` is decided with the other URLs' (`config::read_environment`).
    pub(crate) fn read(vars: &mut Vars<'_>) -> Self {
        let name = vars.optional(
            "BRAND_NAME",
            Parser::new(
                Kind::Text {
                    max: MAX_BRAND_NAME_CHARS,
                },
                parse_name,
            ),
        );
        let url_value = vars.optional("BRAND_URL", url(UrlKind::Endpoint));
        let logo_url = vars.optional("BRAND_LOGO_URL", url(UrlKind::Endpoint));
        if logo_url.is_some() && name.is_none() && !vars.is_set("BRAND_NAME") {
            vars.problem(
                "BRAND_NAME",
                " is required when BRAND_LOGO_URL is set: it is the logo's alt text, what a reader who does not see the image is told",
            );
        }
        let color = vars.or_declared("BRAND_COLOR", Parser::new(Kind::Color, parse_color));
        let support_email = vars.optional(
            "SUPPORT_EMAIL",
            Parser::new(Kind::EmailAddress, |text: &str| {
                if is_plain_address(text) {
                    Ok(text.to_owned())
                } else {
                    Err(" must be a plain e-mail address, as help@example.com".to_owned())
                }
            }),
        );
        Self {
            logo_url: logo_url.filter(|_| name.is_some()),
            name,
            url: url_value,
            color,
            support_email,
        }
    }
}

/// `BRAND_NAME`: one line of at most [`MAX_BRAND_NAME_CHARS`] characters.
fn parse_name(text: &str) -> Result<String, String> {
    if text.chars().any(char::is_control) {
        return Err(" must be one line, without control characters".to_owned());
    }
    if text.chars().count() > MAX_BRAND_NAME_CHARS {
        return Err(format!(
            " must be at most {MAX_BRAND_NAME_CHARS} characters"
        ));
    }
    Ok(text.to_owned())
}

/// `#rgb` or `#rrggbb` (any case) with at least [`MIN_CONTRAST`] against white, as `#rrggbb` in
/// lower case.
pub(crate) fn parse_color(text: &str) -> Result<String, String> {
    let Some(rgb) = parse_hex_color(text) else {
        return Err(" must be a colour written #rgb or #rrggbb, e.g. #1d4ed8".to_owned());
    };
    let contrast = contrast_with_white(rgb);
    if contrast < MIN_CONTRAST {
        // Cut, not rounded, so that 4.48 does not read as the 4.5 it misses.
        let shown = (contrast * 100.0).floor() / 100.0;
        return Err(format!(
            " has a contrast of {shown:.2}:1 with white, under the {MIN_CONTRAST}:1 that keeps white button text and links readable: choose a darker colour, e.g. {DEFAULT_BRAND_COLOR}"
        ));
    }
    let [r, g, b] = rgb;
    Ok(format!("#{r:02x}{g:02x}{b:02x}"))
}

/// The red, green and blue of `#rgb` or `#rrggbb`.
fn parse_hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
    match hex.len() {
        3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 => {
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            Some([byte(0)?, byte(2)?, byte(4)?])
        }
        _ => None,
    }
}

/// WCAG 2's contrast ratio of a colour with white: `1.05 / (L + 0.05)`, `L` its relative
/// luminance.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb;
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    1.05 / (luminance + 0.05)
}

/// `name@domain.tld`: no display name, no spaces, one `@`, a dot in the domain, and nothing that
/// would turn a `mailto:` link into more than an address (`?cc=…`, `#`, percent-escapes).
fn is_plain_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '"' | ',' | '?' | '#' | '%')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_wcag_s() {
        let ratio = |text: &str| contrast_with_white(parse_hex_color(text).unwrap());
        assert!((ratio("#000") - 21.0).abs() < 1e-9);
        assert!((ratio("#ffffff") - 1.0).abs() < 1e-9);
        // The classic edge: #767676 passes AA for normal text, #777777 misses it.
        assert!(ratio("#767676") >= MIN_CONTRAST);
        assert!(ratio("#777") < MIN_CONTRAST);
        assert!(ratio(DEFAULT_BRAND_COLOR) > 6.5);
    }

    #[test]
    fn colours_are_read_in_either_length_and_kept_in_the_long_one() {
        assert_eq!(parse_color("#1D4ED8"), Ok("#1d4ed8".to_owned()));
        assert_eq!(parse_color("#036"), Ok("#003366".to_owned()));
        for bad in ["1d4ed8", "#12345", "#ggg", "#1d4ed8ff", "blue", "#", "#+1f"] {
            assert!(parse_color(bad).is_err(), "{bad}");
        }
        let pale = parse_color("#777").unwrap_err();
        assert!(pale.contains("4.47:1"), "{pale}");
        assert!(parse_color("#ffcc00").is_err());
    }

    #[test]
    fn support_addresses_are_plain() {
        assert!(is_plain_address("help@acme.test"));
        for bad in [
            "Help <help@acme.test>",
            "help@acme",
            "@acme.test",
            "help @acme.test",
            "a@b@c.test",
            "help@.test",
            "help@acme.test?cc=evil%40x.test",
            "help@acme.test#x",
            "help%40evil.test@acme.test",
        ] {
            assert!(!is_plain_address(bad), "{bad}");
        }
    }
}
