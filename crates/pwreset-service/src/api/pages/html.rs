//! Writing HTML safely by hand: markup is only ever a `&'static str` literal, and every value that
//! came from anywhere else goes through [`escape`], in text and in (always double-quoted)
//! attribute values alike.

pub use crate::model::markup::escape;

/// A page being written. Markup goes in only as literals ([`Html::raw`]); values only escaped
/// ([`Html::text`]), so an interpolated value can never become markup.
#[derive(Default)]
pub struct Html(String);

impl Html {
    /// An empty page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends markup written in the source.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Appends a value, escaped: for a text node or a double-quoted attribute value.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.0.push_str(&escape(value));
        self
    }

    /// The finished page.
    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_replaced() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn other_text_is_kept_as_it_is() {
        let text = "Jäne Dœ 12 – ok? ✓ 𝄞 =/;";
        assert_eq!(escape(text), text);
        assert_eq!(escape(""), "");
    }

    #[test]
    fn an_escaped_value_has_no_character_that_ends_an_attribute_or_starts_a_tag() {
        let hostile = "\"><script>alert(1)</script><x y='";
        let escaped = escape(hostile);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        // Escaping is reversible: nothing of the value is lost.
        let back = escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(back, hostile);
    }

    #[test]
    fn values_are_escaped_and_markup_is_not() {
        let mut page = Html::new();
        page.raw("<p title=\"")
            .text("a\"b")
            .raw("\">")
            .text("<b>")
            .raw("</p>");
        assert_eq!(page.finish(), "<p title=\"a&quot;b\">&lt;b&gt;</p>");
    }
}
