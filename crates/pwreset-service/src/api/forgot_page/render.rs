//! The forgot page's HTML: the form (with an error, and the Turnstile widget when it is on) and
//! the one-message pages (the answer, limits, failures). The reset page's look
//! (`/assets/reset.css`), its chrome and its brand ([`PageBrand`]); no script of its own and
//! nothing inline but the brand's accent: without JavaScript the form works as it is, and
//! Turnstile's own script is the only one it ever loads.

use super::form::IDENTIFIER_FIELD;
use super::texts::ForgotTexts;
use crate::api::pages::brand::PageBrand;
use crate::api::pages::html::Html;
use crate::api::pages::layout::{self, Head, Script};
use crate::api::reset_page::texts::PageTexts;
use crate::turnstile::{RESPONSE_FIELD, SCRIPT_URL};

/// The widget's `data-action`, which siteverify's answer must name for the page to accept it.
pub const TURNSTILE_ACTION: &str = "forgot";

/// The forgot page's path: its route and its form's action.
pub const FORGOT_PAGE_PATH: &str = "/forgot";

/// What the form shows.
pub struct FormView<'a> {
    /// What was typed, to show again (empty on a first visit).
    pub identifier: &'a str,
    /// The error to show on the field, if any.
    pub error: Option<&'a str>,
    /// The Turnstile widget's site key, when Turnstile is on.
    pub site_key: Option<&'a str>,
}

/// The page's `<head>` beyond every page's: its referrer policy, and Turnstile's script when the
/// widget is on.
fn head(turnstile: bool) -> Head {
    Head {
        // Every answer's `Referrer-Policy: no-referrer` would make a browser send `Origin: null`
        // with the form; this page's URL carries nothing secret, so its own policy lets the
        // `Origin` check see the site's origin (and Turnstile's frame no more than that).
        referrer: Some("strict-origin"),
        script: turnstile.then_some(Script::AsyncDefer(SCRIPT_URL)),
    }
}

/// A page with a heading, one paragraph and, when `back` is set, a link back to the form.
pub fn message(
    chrome: &PageTexts,
    brand: &PageBrand<'_>,
    title: &str,
    body: &str,
    back: Option<&ForgotTexts>,
) -> String {
    layout::message(chrome.frame(brand), title, body, head(false), |page| {
        if let Some(t) = back {
            page.raw("<p><a href=\"")
                .text(FORGOT_PAGE_PATH)
                .raw("\">")
                .text(t.ask_again)
                .raw("</a></p>\n");
        }
    })
}

/// The form.
pub fn form(
    chrome: &PageTexts,
    brand: &PageBrand<'_>,
    t: &ForgotTexts,
    view: &FormView<'_>,
) -> String {
    let mut page = Html::new();
    let error_prefix = view.error.is_some().then_some(chrome.error_prefix);
    let head = head(view.site_key.is_some());
    let frame = chrome.frame(brand);
    layout::start(&mut page, frame, error_prefix, t.form_title, head);
    page.raw("<h1>").text(t.form_title).raw("</h1>\n");

    if let Some(error) = view.error {
        // Focused on load (no script needed) and announced, linking to the field.
        page.raw("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">")
            .text(chrome.error_summary)
            .raw("</h2>\n<ul>\n<li><a href=\"#identifier\">")
            .text(error)
            .raw("</a></li>\n</ul>\n</div>\n");
    }

    page.raw("<p class=\"intro\" id=\"identifier-intro\">")
        .text(t.form_intro)
        .raw("</p>\n");
    page.raw("<form class=\"forgot-form\" id=\"forgot-form\" method=\"post\" action=\"")
        .text(FORGOT_PAGE_PATH)
        .raw("\" accept-charset=\"utf-8\">\n");

    page.raw("<div class=\"field")
        .raw(if view.error.is_some() {
            " field-invalid"
        } else {
            ""
        })
        .raw("\">\n<label for=\"identifier\">")
        .text(t.identifier_label)
        .raw("</label>\n");
    if let Some(error) = view.error {
        page.raw("<ul class=\"field-error\" id=\"identifier-error\">\n<li><span class=\"visually-hidden\">")
            .text(chrome.error_prefix)
            .raw("</span>")
            .text(error)
            .raw("</li>\n</ul>\n");
    }
    page.raw("<input type=\"text\" id=\"identifier\" name=\"")
        .text(IDENTIFIER_FIELD)
        .raw("\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required aria-describedby=\"identifier-intro");
    if view.error.is_some() {
        page.raw(" identifier-error\" aria-invalid=\"true");
    }
    page.raw("\" value=\"")
        .text(view.identifier)
        .raw("\">\n</div>\n");

    if let Some(site_key) = view.site_key {
        // Cloudflare's script fills a hidden `cf-turnstile-response` field inside this element.
        page.raw("<div class=\"cf-turnstile\" data-sitekey=\"")
            .text(site_key)
            .raw("\" data-action=\"")
            .text(TURNSTILE_ACTION)
            .raw("\" data-language=\"")
            .text(chrome.lang)
            .raw("\" data-response-field-name=\"")
            .text(RESPONSE_FIELD)
            .raw("\"></div>\n<noscript><p class=\"notice\">")
            .text(t.challenge_needs_script)
            .raw("</p></noscript>\n");
    }

    page.raw("<button type=\"submit\" class=\"submit\">")
        .text(t.submit)
        .raw("</button>\n</form>\n");
    layout::end(&mut page, frame);
    page.finish()
}
