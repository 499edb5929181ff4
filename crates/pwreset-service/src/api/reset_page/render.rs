//! The page's HTML: the form (with the policy's rules, and the errors of a refused submission) and
//! the one-message pages (success, invalid link, limits, failures), each framed by the brand
//! ([`PageBrand`]). No inline script, and no inline style but the brand's accent (admitted by its
//! hash): the look is `/assets/reset.css`, the live checks `/assets/reset.js`, which reads the
//! policy and its own texts from the form's `data-` attributes.

use pwreset_core::{Policy, Violation};

use super::form::{CONFIRM_FIELD, Link};
use super::texts::PageTexts;
use crate::api::pages::brand::PageBrand;
use crate::api::pages::html::Html;
use crate::api::pages::layout::{self, Head, Script};
use crate::model::http::{RESET_CHECK_PATH, reset_page_path};

/// The page's script (a static asset); it imports the npm package from `/assets/pwreset/`.
pub const SCRIPT_URL: &str = "/assets/reset.js";

/// A page with a heading and one paragraph.
pub fn message(t: &PageTexts, brand: &PageBrand<'_>, title: &str, body: &str) -> String {
    layout::message(t.frame(brand), title, body, Head::default(), |_| {})
}

/// The success page: its heading and text, and a link back to the application: to `return_to`
/// (a client's registered origin the link was asked from, already checked by the caller), named
/// after its host; else to `BRAND_URL` (named after `BRAND_NAME`) when one is configured.
pub fn success(t: &PageTexts, brand: &PageBrand<'_>, return_to: Option<&str>) -> String {
    layout::message(
        t.frame(brand),
        t.success_title,
        t.success_body,
        Head::default(),
        |page| {
            let (url, label) = match (return_to, brand.url()) {
                (Some(origin), _) => (origin, t.continue_to_named.replace("{name}", host(origin))),
                (None, Some(url)) => match brand.name() {
                    Some(name) => (url, t.continue_to_named.replace("{name}", name)),
                    None => (url, t.continue_to_app.to_owned()),
                },
                (None, None) => return,
            };
            page.raw("<p><a class=\"continue\" id=\"continue\" href=\"")
                .text(url)
                .raw("\">")
                .text(&label)
                .raw("</a></p>\n");
        },
    )
}

/// An origin's host (and port), as its link names it: `https://app.example` → `app.example`.
fn host(origin: &str) -> &str {
    origin.split_once("://").map_or(origin, |(_, host)| host)
}

/// The errors that `belongs` to a field, each message once (seed-002's character classes share one
/// sentence).
fn errors_of(errors: &[Violation], belongs: impl Fn(&str) -> bool) -> Vec<&Violation> {
    let mut shown: Vec<&Violation> = Vec::new();
    for error in errors.iter().filter(|e| belongs(&e.field)) {
        if !shown.iter().any(|s| s.message == error.message) {
            shown.push(error);
        }
    }
    shown
}

/// A field's server-side error list, `<ul id="{field}-error">`.
fn field_errors(page: &mut Html, t: &PageTexts, id: &'static str, errors: &[&Violation]) {
    if errors.is_empty() {
        return;
    }
    page.raw("<ul class=\"field-error\" id=\"")
        .raw(id)
        .raw("\">\n");
    for error in errors {
        page.raw("<li><span class=\"visually-hidden\">")
            .text(t.error_prefix)
            .raw("</span>")
            .text(&error.message)
            .raw("</li>\n");
    }
    page.raw("</ul>\n");
}

/// The form for `link`, with the rules of `policy`; `errors` are a refused submission's (every
/// error names the password or the confirmation field; any other is shown on the password).
pub fn form(
    t: &PageTexts,
    brand: &PageBrand<'_>,
    policy: &Policy,
    link: &Link,
    errors: &[Violation],
) -> String {
    let confirm_errors = errors_of(errors, |field| field == CONFIRM_FIELD);
    let password_errors = errors_of(errors, |field| field != CONFIRM_FIELD);
    let has_errors = !errors.is_empty();

    let mut page = Html::new();
    let head = Head {
        referrer: None,
        script: Some(Script::Module(SCRIPT_URL)),
    };
    let error_prefix = has_errors.then_some(t.error_prefix);
    let frame = t.frame(brand);
    layout::start(&mut page, frame, error_prefix, t.form_title, head);
    page.raw("<h1>").text(t.form_title).raw("</h1>\n");

    if has_errors {
        // Focused on load (no script needed) and announced: what went wrong, each linking to its
        // field.
        page.raw("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus aria-labelledby=\"error-summary-title\">\n<h2 id=\"error-summary-title\">")
            .text(t.error_summary)
            .raw("</h2>\n<ul>\n");
        for (error, anchor) in password_errors
            .iter()
            .map(|e| (e, "#password"))
            .chain(confirm_errors.iter().map(|e| (e, "#password_confirm")))
        {
            page.raw("<li><a href=\"")
                .raw(anchor)
                .raw("\">")
                .text(&error.message)
                .raw("</a></li>\n");
        }
        page.raw("</ul>\n</div>\n");
    }

    page.raw("<p class=\"intro\">")
        .text(t.form_intro)
        .raw("</p>\n");

    page.raw(concat!(
        "<form class=\"reset-form\" id=\"reset-form\" method=\"post\" action=\"",
        reset_page_path!(),
        "\" accept-charset=\"utf-8\""
    ));
    if let Ok(settings) = serde_json::to_string(policy.settings()) {
        // Without a policy document the script stays off and the form works as plain HTML.
        page.raw(" data-policy=\"").text(&settings).raw("\"");
    }
    if let Ok(live) = serde_json::to_string(&t.live) {
        page.raw(" data-texts=\"").text(&live).raw("\"");
    }
    // Where the script asks what a submit would say, as typing pauses.
    page.raw(" data-check=\"").text(RESET_CHECK_PATH).raw("\"");
    page.raw(">\n<input type=\"hidden\" name=\"token\" value=\"")
        .text(&link.token)
        .raw("\">\n");
    if let Some(user) = &link.user {
        page.raw("<input type=\"hidden\" name=\"user\" value=\"")
            .text(user)
            .raw("\">\n");
    }

    // The rules, shown before typing (and read as the password field's description).
    page.raw("<div class=\"rules\" id=\"password-rules\">\n<h2 class=\"rules-heading\">")
        .text(t.rules_heading)
        .raw("</h2>\n<ul>\n");
    // In the language of the page, as the errors the flows report are.
    let locale = crate::model::locale::Locale::parse(t.lang).unwrap_or_default();
    for rule in policy.help_texts_in(locale.policy_catalog(policy)) {
        page.raw("<li>").text(&rule).raw("</li>\n");
    }
    page.raw("</ul>\n</div>\n");

    // The new password: label, errors, input, live feedback, strength meter.
    page.raw("<div class=\"field")
        .raw(if password_errors.is_empty() {
            ""
        } else {
            " field-invalid"
        })
        .raw("\">\n<label for=\"password\">")
        .text(t.password_label)
        .raw("</label>\n");
    field_errors(&mut page, t, "password-error", &password_errors);
    page.raw("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" required aria-describedby=\"password-rules");
    if !password_errors.is_empty() {
        page.raw(" password-error");
    }
    page.raw(" password-feedback\"");
    if !password_errors.is_empty() {
        page.raw(" aria-invalid=\"true\"");
    }
    page.raw(">\n<ul class=\"feedback\" id=\"password-feedback\"></ul>\n")
        .raw("<div class=\"strength\" id=\"strength\" hidden>\n<label for=\"strength-meter\">")
        .text(t.live.strength_label)
        .raw("</label>\n<meter id=\"strength-meter\" min=\"0\" max=\"4\" low=\"2\" high=\"3\" optimum=\"4\" value=\"0\"></meter>\n")
        .raw("<span class=\"strength-text\" id=\"strength-text\"></span>\n")
        .raw("<p class=\"strength-feedback\" id=\"strength-feedback\"></p>\n</div>\n</div>\n");

    // The confirmation.
    page.raw("<div class=\"field")
        .raw(if confirm_errors.is_empty() {
            ""
        } else {
            " field-invalid"
        })
        .raw("\">\n<label for=\"password_confirm\">")
        .text(t.confirm_label)
        .raw("</label>\n");
    field_errors(&mut page, t, "password_confirm-error", &confirm_errors);
    page.raw("<input type=\"password\" id=\"password_confirm\" name=\"password_confirm\" autocomplete=\"new-password\" required aria-describedby=\"");
    if !confirm_errors.is_empty() {
        page.raw("password_confirm-error ");
    }
    page.raw("password_confirm-feedback\"");
    if !confirm_errors.is_empty() {
        page.raw(" aria-invalid=\"true\"");
    }
    page.raw(">\n<ul class=\"feedback\" id=\"password_confirm-feedback\"></ul>\n</div>\n");

    // Shown by the script only (it is what makes the checkbox work).
    page.raw("<div class=\"show-passwords\" id=\"show-passwords\" hidden>\n<input type=\"checkbox\" id=\"show-passwords-toggle\">\n<label for=\"show-passwords-toggle\">")
        .text(t.show_passwords)
        .raw("</label>\n</div>\n")
        .raw("<p class=\"visually-hidden\" id=\"live-status\" role=\"status\" aria-live=\"polite\" aria-atomic=\"true\"></p>\n")
        .raw("<button type=\"submit\" class=\"submit\">")
        .text(t.submit)
        .raw("</button>\n</form>\n");
    layout::end(&mut page, frame);
    page.finish()
}
