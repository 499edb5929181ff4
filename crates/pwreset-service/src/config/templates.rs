//! The e-mails' templates: the built-in ones (the files under `delivery/templates/`) and the
//! operator's (`MESSAGE_TEMPLATES`), compiled into one minijinja environment and checked when
//! the configuration is read, so that a template that cannot render is a problem at start, never
//! a failed message.
//!
//! Every template of an e-mail of one kind is given the same variables ([`COMMON_VARIABLES`] and
//! the kind's [`KindVocabulary`]); the words of the built-in texts, in the message's language,
//! are `t` (`t.intro`, `t.expiry` …). Templates named `….html` escape every value they print;
//! the subject and the text escape nothing (they are not HTML).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, Error, UndefinedBehavior, Value};

use super::Kind;
use super::branding::Branding;
use super::read::{Parser, Vars};
use crate::model::locale::Locale;
use crate::model::markup;
use crate::model::message::MessageKind;

/// The built-in templates, by name: a shared HTML layout, one `.html` and one `.txt` per kind,
/// the text's signature, and the HTML of a message known only by its text (one queued before
/// messages had HTML).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "layout.html",
        include_str!("../delivery/templates/layout.html"),
    ),
    (
        "signature.txt",
        include_str!("../delivery/templates/signature.txt"),
    ),
    (
        "reset_code.html",
        include_str!("../delivery/templates/reset_code.html"),
    ),
    (
        "reset_code.txt",
        include_str!("../delivery/templates/reset_code.txt"),
    ),
    (
        "reset_link.html",
        include_str!("../delivery/templates/reset_link.html"),
    ),
    (
        "reset_link.txt",
        include_str!("../delivery/templates/reset_link.txt"),
    ),
    (
        "reset_links.html",
        include_str!("../delivery/templates/reset_links.html"),
    ),
    (
        "reset_links.txt",
        include_str!("../delivery/templates/reset_links.txt"),
    ),
    (
        "password_changed.html",
        include_str!("../delivery/templates/password_changed.html"),
    ),
    (
        "password_changed.txt",
        include_str!("../delivery/templates/password_changed.txt"),
    ),
    ("text.html", include_str!("../delivery/templates/text.html")),
];

/// The built-in template that writes an e-mail known only by its text: its paragraphs
/// (`paragraphs`) in the layout.
pub const TEXT_AS_HTML: &str = "text.html";

/// How much one rendering may compute (minijinja's fuel: about one unit an instruction), far
/// more than any built-in template needs.
pub const FUEL: u64 = 200_000;

/// The most bytes an operator's template may write (a text or an HTML body, or a subject before
/// it is made one line): more is a failure, and the built-in template writes that part instead.
pub const MAX_PART_BYTES: usize = 256 * 1024;

/// The most characters an operator's subject may have once made one line: RFC 5322's limit of a
/// line. A longer one is a failure, and the built-in subject is used.
pub const MAX_SUBJECT_CHARS: usize = 998;

/// The variables every template of an e-mail is given: its language's tag, its subject (in a
/// subject template, the built-in one), the brand (`none` where unset) and its words.
pub const COMMON_VARIABLES: [&str; 8] = [
    "lang",
    "subject",
    "brand_name",
    "brand_url",
    "brand_logo_url",
    "brand_color",
    "support_email",
    "t",
];

/// What the templates of one kind of e-mail are given beyond [`COMMON_VARIABLES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindVocabulary {
    /// The kind's name ([`MessageKind::NAMES`]).
    pub kind: &'static str,
    /// Its own variables.
    pub variables: &'static [&'static str],
    /// The names of its words in `t`, in the message's language.
    pub words: &'static [&'static str],
}

/// Each kind's variables and words: `code` (digits), `link` (a URL), `links` (a list of
/// `{account, link}`), `lifetime` ("10 minutes").
pub const VOCABULARY: [KindVocabulary; 4] = [
    KindVocabulary {
        kind: MessageKind::NAMES[0],
        variables: &["code", "lifetime"],
        words: &["subject", "intro", "expiry", "ignore"],
    },
    KindVocabulary {
        kind: MessageKind::NAMES[1],
        variables: &["link", "lifetime"],
        words: &[
            "subject",
            "intro",
            "button",
            "copy_link",
            "expiry",
            "ignore",
        ],
    },
    KindVocabulary {
        kind: MessageKind::NAMES[2],
        variables: &["links", "lifetime"],
        words: &["subject", "intro", "expiry", "ignore"],
    },
    KindVocabulary {
        kind: MessageKind::NAMES[3],
        variables: &[],
        words: &["subject", "intro", "if_you", "if_not"],
    },
];

/// The vocabulary of the kind called `kind`.
pub fn vocabulary(kind: &str) -> Option<&'static KindVocabulary> {
    VOCABULARY.iter().find(|v| v.kind == kind)
}

/// A part of an e-mail a template writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The subject line (one line: breaks become spaces).
    Subject,
    /// The plain-text body.
    Text,
    /// The HTML body.
    Html,
}

impl Part {
    /// Every part, as `MESSAGE_TEMPLATES` orders them.
    pub const ALL: [Part; 3] = [Part::Subject, Part::Text, Part::Html];

    /// Its field in `MESSAGE_TEMPLATES`: `subject`, `text` or `html`.
    pub fn field(self) -> &'static str {
        match self {
            Part::Subject => "subject",
            Part::Text => "text",
            Part::Html => "html",
        }
    }
}

/// The name of the operator's template for `part` of `kind` in `locale`: `de.reset_code.html`.
fn override_name(locale: Locale, kind: &str, part: Part) -> String {
    format!("{}.{kind}.{}", locale.tag(), part.field())
}

/// The built-in template that writes `part` of `kind`: `reset_code.txt`, `reset_code.html`; none
/// for a subject (the built-in subject is a word, `t.subject`).
pub fn built_in_name(kind: &str, part: Part) -> Option<String> {
    match part {
        Part::Subject => None,
        Part::Text => Some(format!("{kind}.txt")),
        Part::Html => Some(format!("{kind}.html")),
    }
}

/// The e-mails' templates in force: the built-in ones, and the operator's over them.
#[derive(Clone)]
pub struct MessageTemplates {
    /// Every template, compiled.
    env: Arc<Environment<'static>>,
    /// The operator's templates' sources, by name (`de.reset_code.html`).
    overrides: Arc<BTreeMap<String, String>>,
}

impl PartialEq for MessageTemplates {
    fn eq(&self, other: &Self) -> bool {
        self.overrides == other.overrides
    }
}

impl Eq for MessageTemplates {}

impl std::fmt::Debug for MessageTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageTemplates")
            .field("overrides", &self.overrides.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Default for MessageTemplates {
    fn default() -> Self {
        Self::built_in()
    }
}

/// How e-mails look and read: the brand and the templates in force, with which delivery writes
/// every e-mail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageSettings {
    /// The brand (the same as [`super::ServiceConfig::branding`]).
    pub branding: Branding,
    /// The built-in templates and the operator's.
    pub templates: MessageTemplates,
}

/// An environment with every built-in template and the rules every template renders by.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no line of their own, and a text's last line break
    // stays: the plain texts come out exactly as written.
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build();
    if let Ok(syntax) = syntax {
        env.set_syntax(syntax);
    }
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // An unset value (`none`) prints as nothing. HTML escapes the five characters that matter,
    // `/` left as it is: a link's text stays the link, as a reader copies it.
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            return Ok(());
        }
        if *state.auto_escape() != AutoEscape::Html || value.is_safe() {
            return minijinja::escape_formatter(out, state, value);
        }
        out.write_str(&markup::escape(&value.to_string()))
            .map_err(Error::from)
    });
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    for (name, source) in BUILT_IN {
        if let Err(error) = env.add_template(name, source) {
            // Every built-in template compiles (tested); should one not, the ones that do still
            // serve, and its own rendering fails where it is used.
            debug_assert!(false, "{name}: {error}");
        }
    }
    env
}

impl MessageTemplates {
    /// The built-in templates alone (compiled once).
    pub fn built_in() -> Self {
        static BUILT_IN_ENV: OnceLock<Arc<Environment<'static>>> = OnceLock::new();
        Self {
            env: BUILT_IN_ENV.get_or_init(|| Arc::new(environment())).clone(),
            overrides: Arc::default(),
        }
    }

    /// The environment every template is in, to render them.
    pub fn environment(&self) -> &Environment<'static> {
        &self.env
    }

    /// The operator's template that writes `part` of `kind` in `locale`, when there is one (named
    /// as `de.reset_code.html`).
    pub fn overriding(&self, locale: Locale, kind: &str, part: Part) -> Option<String> {
        let name = override_name(locale, kind, part);
        self.overrides.contains_key(&name).then_some(name)
    }

    /// Whether the operator's template writes `part` of `kind` in `locale`.
    pub fn is_overridden(&self, locale: Locale, kind: &str, part: Part) -> bool {
        self.overriding(locale, kind, part).is_some()
    }

    /// Reads `MESSAGE_TEMPLATES`, noting each problem in `vars` (naming the entry, as
    /// `de.reset_code.html`); the built-in templates alone when unset or refused.
    pub(crate) fn read(vars: &mut Vars<'_>) -> Self {
        vars.optional_each(
            "MESSAGE_TEMPLATES",
            Parser::new(Kind::MessageTemplates, parse_overrides),
        )
        .unwrap_or_else(Self::built_in)
    }
}

/// `MESSAGE_TEMPLATES` compiled over the built-in templates and checked: every entry a known
/// language, kind and field holding a non-empty template that compiles, uses only its kind's
/// variables and renders (with and without the brand's optional values). Otherwise every
/// problem, each to follow the variable's name.
fn parse_overrides(text: &str) -> Result<MessageTemplates, Vec<String>> {
    let shape = || {
        format!(
            ": expected a JSON object of languages ({}) to kinds ({}) to {{\"subject\", \"text\", \"html\"}} templates, e.g. {{\"de\": {{\"reset_code\": {{\"subject\": \"{{{{ code }}}} ist Ihr Code\"}}}}}}",
            listed(Locale::ALL.map(Locale::tag).as_slice()),
            listed(&MessageKind::NAMES),
        )
    };
    let Ok(serde_json::Value::Object(languages)) = serde_json::from_str(text) else {
        return Err(vec![shape()]);
    };
    let mut problems = Vec::new();
    let mut sources = BTreeMap::new();
    let mut entries = Vec::new();
    for (tag, kinds) in &languages {
        let Some(locale) = Locale::ALL.into_iter().find(|l| l.tag() == tag) else {
            problems.push(format!(
                ": unknown language {}; expected {}",
                quoted(tag),
                listed(Locale::ALL.map(Locale::tag).as_slice())
            ));
            continue;
        };
        let serde_json::Value::Object(kinds) = kinds else {
            problems.push(format!(
                ": {tag} must be a JSON object of kinds ({}) to templates",
                listed(&MessageKind::NAMES)
            ));
            continue;
        };
        for (kind, parts) in kinds {
            let Some(vocabulary) = vocabulary(kind) else {
                problems.push(format!(
                    ": {tag}: unknown message kind {}; expected {}",
                    quoted(kind),
                    listed(&MessageKind::NAMES)
                ));
                continue;
            };
            let serde_json::Value::Object(parts) = parts else {
                problems.push(format!(
                    ": {tag}.{kind} must be a JSON object of \"subject\", \"text\" and \"html\" templates"
                ));
                continue;
            };
            for (field, source) in parts {
                let Some(part) = Part::ALL.into_iter().find(|p| p.field() == field) else {
                    problems.push(format!(
                        ": {tag}.{kind}: unknown field {}; expected subject, text or html",
                        quoted(field)
                    ));
                    continue;
                };
                match source.as_str() {
                    Some(source) if !source.trim().is_empty() => {
                        let name = override_name(locale, kind, part);
                        sources.insert(name.clone(), source.to_owned());
                        entries.push((name, locale, part, vocabulary));
                    }
                    _ => problems.push(format!(
                        ": {tag}.{kind}.{field} must be a template, a non-empty string"
                    )),
                }
            }
        }
    }
    let mut env = environment();
    let mut compiled = Vec::new();
    for (name, locale, part, vocabulary) in entries {
        match env.add_template_owned(name.clone(), sources[&name].clone()) {
            Ok(()) => compiled.push((name, locale, part, vocabulary)),
            Err(error) => problems.push(format!(": {name}: {}", describe(&error, &name))),
        }
    }
    for (name, locale, part, vocabulary) in &compiled {
        if let Some(problem) = check(&env, name, *locale, *part, vocabulary) {
            problems.push(format!(": {name}{problem}"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(MessageTemplates {
        env: Arc::new(env),
        overrides: Arc::new(sources),
    })
}

/// What is wrong with the operator's template `name` of `vocabulary`'s kind, writing `part`, if
/// anything: a variable its kind is not given, or a rendering that fails, writes nothing or
/// writes too much ([`MAX_PART_BYTES`], [`MAX_SUBJECT_CHARS`]).
fn check(
    env: &Environment<'static>,
    name: &str,
    locale: Locale,
    part: Part,
    vocabulary: &KindVocabulary,
) -> Option<String> {
    let template = env.get_template(name).ok()?;
    let globals: BTreeSet<&str> = env.globals().map(|(name, _)| name).collect();
    let unknown: BTreeSet<String> = template
        .undeclared_variables(true)
        .into_iter()
        .filter(|used| !is_known(used, vocabulary, &globals))
        .collect();
    if !unknown.is_empty() {
        let mut known: Vec<String> = COMMON_VARIABLES
            .iter()
            .chain(vocabulary.variables)
            .map(|v| (*v).to_owned())
            .collect();
        known.extend(vocabulary.words.iter().map(|w| format!("t.{w}")));
        return Some(format!(
            " uses {}, which {} templates are not given; they are given {}",
            listed(&unknown.iter().map(String::as_str).collect::<Vec<_>>()),
            vocabulary.kind,
            known.join(", ")
        ));
    }
    let branding = Branding {
        name: Some("Acme".to_owned()),
        url: Some("https://acme.example".to_owned()),
        logo_url: Some("https://acme.example/logo.png".to_owned()),
        support_email: Some("help@acme.example".to_owned()),
        ..Branding::default()
    };
    for branding in [branding, Branding::default()] {
        let context = sample_context(&branding, locale, vocabulary);
        match render_within(env, name, context, Some(MAX_PART_BYTES)) {
            Ok(written) if written.trim().is_empty() => {
                return Some(" writes nothing; leave it out to keep the built-in one".to_owned());
            }
            Ok(written) if part == Part::Subject && too_long_a_subject(&written) => {
                return Some(format!(
                    " writes a subject of more than {MAX_SUBJECT_CHARS} characters"
                ));
            }
            Ok(_) => {}
            Err(RenderFailure::TooLong) => {
                return Some(format!(" writes more than {} KiB", MAX_PART_BYTES / 1024));
            }
            Err(RenderFailure::Error(error)) => {
                return Some(format!(" does not render: {}", describe(&error, name)));
            }
        }
    }
    None
}

/// Whether `written`, made one line ([`one_line`]), is longer than [`MAX_SUBJECT_CHARS`].
pub(crate) fn too_long_a_subject(written: &str) -> bool {
    one_line(written).chars().count() > MAX_SUBJECT_CHARS
}

/// `text` as a subject line: every run of white space and control characters one space, the
/// ends trimmed.
pub(crate) fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a rendering gave nothing to use.
#[derive(Debug)]
pub(crate) enum RenderFailure {
    /// The template language's error: the template is missing, or failed as it ran (out of
    /// fuel, an invalid operation …).
    Error(Error),
    /// It wrote more than its limit; the rendering stopped there.
    TooLong,
}

impl RenderFailure {
    /// The failure of template `name` in one line, without any value the template was given or
    /// wrote (they may hold a code or link): the error's kind and where it happened (`engine ran
    /// out of fuel (line 3)`), or the limit it went over.
    pub(crate) fn without_values(&self, name: &str) -> String {
        match self {
            RenderFailure::Error(error) => {
                let root = root_cause(error);
                one_line(&format!("{}{}", root.kind(), location(root, name)))
            }
            RenderFailure::TooLong => format!("wrote more than {} KiB", MAX_PART_BYTES / 1024),
        }
    }
}

/// Renders the template `name` of `env` with `context`, writing at most `limit` bytes when there
/// is a limit: what it wrote, or why it failed. The rendering stops as soon as it would go over
/// the limit, so its output never fills memory (minijinja's fuel bounds its work, not the size of
/// what it writes).
pub(crate) fn render_within(
    env: &Environment<'_>,
    name: &str,
    context: Value,
    limit: Option<usize>,
) -> Result<String, RenderFailure> {
    let template = env.get_template(name).map_err(RenderFailure::Error)?;
    let mut out = Bounded {
        written: Vec::new(),
        limit: limit.unwrap_or(usize::MAX),
        over: false,
    };
    let rendered = template.render_captured_to(context, &mut out).map(drop);
    if out.over {
        return Err(RenderFailure::TooLong);
    }
    rendered.map_err(RenderFailure::Error)?;
    // The template language writes whole strings, and a refused one is left out whole.
    Ok(String::from_utf8(out.written)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()))
}

/// A buffer that refuses any write that would take it over `limit` bytes.
struct Bounded {
    written: Vec<u8>,
    limit: usize,
    over: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.written.len().saturating_add(bytes.len()) > self.limit {
            self.over = true;
            return Err(std::io::Error::other("over the limit"));
        }
        self.written.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether a variable a template reads (`code`, `t.intro`, `brand_name.upper`) is one its kind
/// is given, or a global function of the template language (`range`).
fn is_known(used: &str, vocabulary: &KindVocabulary, globals: &BTreeSet<&str>) -> bool {
    let (head, rest) = used.split_once('.').unwrap_or((used, ""));
    if head == "t" {
        let word = rest.split('.').next().unwrap_or_default();
        return rest.is_empty() || vocabulary.words.contains(&word);
    }
    COMMON_VARIABLES.contains(&head)
        || vocabulary.variables.contains(&head)
        || globals.contains(head)
}

/// What a template of `vocabulary`'s kind is given, with sample values, to try it.
fn sample_context(branding: &Branding, locale: Locale, vocabulary: &KindVocabulary) -> Value {
    let words = vocabulary
        .words
        .iter()
        .map(|word| (*word, format!("({word})")))
        .collect();
    let link = "https://reset.example/reset?token=0123456789abcdef";
    let values = vocabulary
        .variables
        .iter()
        .map(|variable| {
            let value = match *variable {
                "code" => Value::from("123456"),
                "link" => Value::from(link),
                "links" => Value::from(vec![link_item("jane", link), link_item("joe", link)]),
                _ => Value::from("10 minutes"),
            };
            (*variable, value)
        })
        .collect();
    context(branding, locale, "(subject)", words, values)
}

/// One account of a `links` list: `{account, link}`.
pub fn link_item(account: &str, link: &str) -> Value {
    Value::from(BTreeMap::from([
        ("account", Value::from(account)),
        ("link", Value::from(link)),
    ]))
}

/// What every template of an e-mail is given: [`COMMON_VARIABLES`] (the brand from `branding`,
/// the words from `words`) and the kind's own `values`.
pub fn context(
    branding: &Branding,
    locale: Locale,
    subject: &str,
    words: BTreeMap<&'static str, String>,
    values: Vec<(&'static str, Value)>,
) -> Value {
    let mut context: BTreeMap<&str, Value> = BTreeMap::from([
        ("lang", Value::from(locale.tag())),
        ("subject", Value::from(subject)),
        ("brand_name", Value::from(branding.name.clone())),
        ("brand_url", Value::from(branding.url.clone())),
        ("brand_logo_url", Value::from(branding.logo_url.clone())),
        ("brand_color", Value::from(branding.color.as_str())),
        ("support_email", Value::from(branding.support_email.clone())),
        ("t", Value::from(words)),
    ]);
    context.extend(values);
    Value::from(context)
}

/// An error of the template language, in one clean line: what went wrong where it went wrong
/// (an error in an included or extended template, not the include's own), and where.
pub fn describe(error: &Error, name: &str) -> String {
    let root = root_cause(error);
    let mut out = root.kind().to_string();
    if let Some(detail) = root.detail() {
        out.push_str(": ");
        out.push_str(detail);
    }
    out.push_str(&location(root, name));
    one_line(&out)
}

/// The error under `error`'s causes: where it went wrong (an included or extended template's
/// error, not the include's own).
fn root_cause(error: &Error) -> &Error {
    let mut root = error;
    while let Some(cause) =
        std::error::Error::source(root).and_then(|cause| cause.downcast_ref::<Error>())
    {
        root = cause;
    }
    root
}

/// Where `root` happened, seen from template `name`: ` (line 3)`, ` (in layout.html, line 9)`,
/// or nothing when it does not say.
fn location(root: &Error, name: &str) -> String {
    match (root.name(), root.line()) {
        (Some(other), Some(line)) if other != name => format!(" (in {other}, line {line})"),
        (_, Some(line)) => format!(" (line {line})"),
        _ => String::new(),
    }
}

/// `"value"`, at most 32 characters of it.
fn quoted(value: &str) -> String {
    let shown: String = value.chars().filter(|c| !c.is_control()).take(32).collect();
    format!("{shown:?}")
}

/// `a, b or c`.
fn listed(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_compiles_and_uses_only_its_kind_s_variables() {
        let env = environment();
        let globals: BTreeSet<&str> = env.globals().map(|(name, _)| name).collect();
        for vocabulary in &VOCABULARY {
            for file in ["txt", "html"] {
                let name = format!("{}.{file}", vocabulary.kind);
                let template = env.get_template(&name).unwrap();
                let unknown: Vec<String> = template
                    .undeclared_variables(true)
                    .into_iter()
                    .filter(|used| !is_known(used, vocabulary, &globals))
                    .collect();
                assert!(unknown.is_empty(), "{name}: {unknown:?}");
                for locale in Locale::ALL {
                    let written = template
                        .render(sample_context(&Branding::default(), locale, vocabulary))
                        .unwrap();
                    assert!(!written.trim().is_empty(), "{name}");
                }
            }
        }
        for (name, _) in BUILT_IN {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn the_vocabulary_names_every_kind_once() {
        let kinds: Vec<&str> = VOCABULARY.iter().map(|v| v.kind).collect();
        assert_eq!(kinds, MessageKind::NAMES);
        for vocabulary in &VOCABULARY {
            assert!(vocabulary.words.contains(&"subject"), "{}", vocabulary.kind);
            for variable in vocabulary.variables {
                assert!(!COMMON_VARIABLES.contains(variable));
            }
        }
    }

    #[test]
    fn a_failure_at_delivery_is_told_without_the_values_and_output_stops_at_its_limit() {
        let mut env = environment();
        env.add_template_owned("en.reset_code.text", "Code:\n{% include code %}")
            .unwrap();
        env.add_template_owned("en.reset_code.html", "{{ code }}{{ code }}{{ code }}")
            .unwrap();
        let context = || Value::from(BTreeMap::from([("code", Value::from("482913"))]));
        let Err(failure) = render_within(&env, "en.reset_code.text", context(), None) else {
            panic!("rendered");
        };
        // The template language's own account names the value; ours does not.
        let RenderFailure::Error(error) = &failure else {
            panic!("{failure:?}");
        };
        assert!(describe(error, "en.reset_code.text").contains("482913"));
        assert_eq!(
            failure.without_values("en.reset_code.text"),
            "template not found (line 2)"
        );
        let within = render_within(&env, "en.reset_code.html", context(), Some(18));
        assert_eq!(within.unwrap(), "482913".repeat(3));
        let over = render_within(&env, "en.reset_code.html", context(), Some(17));
        assert!(matches!(over, Err(RenderFailure::TooLong)), "{over:?}");
        let over = over.unwrap_err().without_values("en.reset_code.html");
        assert_eq!(over, "wrote more than 256 KiB");
    }

    #[test]
    fn errors_read_as_one_line() {
        let mut env = environment();
        let error = env
            .add_template_owned("en.reset_code.text", "{{ code \n\n ")
            .unwrap_err();
        let described = describe(&error, "en.reset_code.text");
        assert!(described.starts_with("syntax error: "), "{described}");
        assert!(!described.contains("  ") && !described.chars().any(char::is_control));
    }
}
