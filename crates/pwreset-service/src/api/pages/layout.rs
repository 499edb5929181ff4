//! The document around a page's content: `<head>`, the brand's header and the opening of
//! `<main>` ([`start`]), and the brand's support line and their closing ([`end`]).

use super::brand::PageBrand;
use super::html::Html;

/// The pages' stylesheet (a static asset).
pub const STYLESHEET_URL: &str = "/assets/reset.css";

/// A script a page's `<head>` loads.
#[derive(Clone, Copy, Debug)]
pub enum Script {
    /// A module from the site's own files (`<script type="module">`).
    Module(&'static str),
    /// A classic script loaded `async defer` (a third party's, such as Turnstile's).
    AsyncDefer(&'static str),
}

/// What a page's `<head>` holds besides what every page has.
#[derive(Clone, Copy, Debug, Default)]
pub struct Head {
    /// A `<meta name="referrer">` policy, before the title.
    pub referrer: Option<&'static str>,
    /// A script, after the stylesheet.
    pub script: Option<Script>,
}

/// What frames every page of an answer: its language and the brand, with the words the brand's
/// parts need.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// The `lang` attribute.
    pub lang: &'a str,
    /// The brand.
    pub brand: &'a PageBrand<'a>,
    /// The line naming the support address, `{email}` where it goes.
    pub contact_support: &'a str,
}

/// The document up to the start of `<main>`, in the frame's language, with the brand's style
/// and header; the title starts with `error_prefix` when one is given (the page lists errors).
pub fn start(
    page: &mut Html,
    frame: Frame<'_>,
    error_prefix: Option<&str>,
    title: &str,
    head: Head,
) {
    page.raw("<!doctype html>\n<html lang=\"")
        .text(frame.lang)
        .raw("\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<meta name=\"robots\" content=\"noindex, nofollow\">\n");
    if let Some(policy) = head.referrer {
        page.raw("<meta name=\"referrer\" content=\"")
            .text(policy)
            .raw("\">\n");
    }
    page.raw("<title>");
    if let Some(prefix) = error_prefix {
        page.text(prefix);
    }
    page.text(title)
        .raw("</title>\n<link rel=\"stylesheet\" href=\"")
        .text(STYLESHEET_URL)
        .raw("\">\n");
    frame.brand.style(page);
    match head.script {
        Some(Script::Module(url)) => {
            page.raw("<script type=\"module\" src=\"")
                .text(url)
                .raw("\"></script>\n");
        }
        Some(Script::AsyncDefer(url)) => {
            page.raw("<script src=\"")
                .text(url)
                .raw("\" async defer></script>\n");
        }
        None => {}
    }
    page.raw("</head>\n<body>\n");
    frame.brand.header(page);
    page.raw("<main class=\"page\">\n");
}

/// The document from the end of `<main>`'s content: the brand's support line, then the end.
pub fn end(page: &mut Html, frame: Frame<'_>) {
    frame.brand.support(page, frame.contact_support);
    page.raw("</main>\n</body>\n</html>\n");
}

/// A page with a heading and one paragraph, then `more` (markup after the paragraph).
pub fn message(
    frame: Frame<'_>,
    title: &str,
    body: &str,
    head: Head,
    more: impl FnOnce(&mut Html),
) -> String {
    let mut page = Html::new();
    start(&mut page, frame, None, title, head);
    page.raw("<h1>")
        .text(title)
        .raw("</h1>\n<p class=\"message\">")
        .text(body)
        .raw("</p>\n");
    more(&mut page);
    end(&mut page, frame);
    page.finish()
}
