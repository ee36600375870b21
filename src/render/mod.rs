//! Rendering pages with tera 2.
//!
//! The [`Renderer`] holds one tera instance with the built-in theme (the repo's `templates/`,
//! embedded at compile time), overridden by the archive's own `templates/*.html` by name. An
//! error in an archive template is the editor's mistake: a [`Diagnostic`] naming the template
//! file and line. An error in a built-in template is dyad's bug: an internal error. Templates
//! reach the interface strings (`crate::i18n`) through the `t` function. Does not decide which
//! pages exist (`plan`) or what they show (`views`).

pub(crate) mod charts;
pub(crate) mod plan;
pub(crate) mod timeline;
pub(crate) mod views;

use crate::diag::Diagnostic;
use crate::i18n::{Arg, Messages};
use std::collections::HashSet;
use std::sync::Arc;
use tera::{Context, Tera};

/// The built-in theme's files, embedded by `build.rs`.
pub(crate) mod theme {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Why a render failed.
#[derive(Debug)]
pub(crate) enum RenderError {
    /// An archive template is wrong: report it with the content errors.
    Content(Diagnostic),
    /// A built-in template failed: a bug in dyad.
    Internal(String),
}

/// tera with the theme loaded.
pub(crate) struct Renderer {
    tera: Tera,
    overridden: HashSet<String>,
    messages: Arc<Messages>,
}

/// The whole error chain of a tera error, as one message.
fn chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!(": {s}"));
        source = s.source();
    }
    msg
}

/// The `num` filter: `{{ 12345 | num }}` writes a whole number with its digits grouped by
/// thousands the way the archive's language (`site.language`) does: `12,345` in English,
/// `12.345` in German and the languages that write it so, `12 345` with a narrow no-break
/// space in Russian, Kazakh, French and most others.
fn num(val: tera::Value, _: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let Some(n) = val.as_i128() else {
        return Err(tera::Error::message(format!(
            "the num filter takes a whole number, got `{}`",
            val.name()
        )));
    };
    Ok(group_digits(n, separator(&site_language(state))))
}

/// `site.language` of the page being rendered ("" when unset).
fn site_language(state: &tera::State) -> String {
    let site: Option<tera::Value> = state.get("site").ok().flatten();
    site.as_ref()
        .and_then(|s| s.as_map())
        .and_then(|m| m.get(&tera::value::Key::from("language")))
        .and_then(|l| l.as_str())
        .unwrap_or("")
        .to_string()
}

/// The `t` function: `{{ t(key="nav-periods") }}` is the interface string `nav-periods` in
/// the page's language (`site.language`; `lang="ru"` asks for another). Every other keyword
/// argument is a Fluent argument: `{{ t(key="count-works", count=n) }}`. Numbers select plural
/// forms and print with grouped digits. The text is escaped like any value, except for
/// messages whose key ends in `-html`: those are markup (dyad's, or the archive's own
/// `i18n/` files, trusted like its templates), and their string arguments are escaped instead.
/// An unknown key prints as itself.
fn translate(
    messages: &Messages,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<tera::Value> {
    let key: &str = kwargs.must_get("key")?;
    let lang = match kwargs.get::<&str>("lang")? {
        Some(l) => l.to_string(),
        None => site_language(state),
    };
    let html = key.ends_with("-html");
    let mut texts: Vec<(&str, String)> = Vec::new();
    let mut numbers: Vec<(&str, f64)> = Vec::new();
    for (k, v) in kwargs.iter() {
        let Some(name) = k.as_str() else { continue };
        if name == "key" || name == "lang" {
            continue;
        }
        if let Some(n) = v.as_f64().filter(|_| v.is_number()) {
            numbers.push((name, n));
        } else if let Some(s) = v.as_str() {
            let s = if html && !v.is_safe() {
                state.escape(s)?
            } else {
                s.to_string()
            };
            texts.push((name, s));
        } else if v.is_none() || v.is_undefined() {
            texts.push((name, String::new()));
        } else {
            texts.push((name, v.to_string()));
        }
    }
    let args: Vec<(&str, Arg)> = numbers
        .iter()
        .map(|(k, n)| (*k, Arg::Num(*n)))
        .chain(texts.iter().map(|(k, s)| (*k, Arg::Str(s))))
        .collect();
    let text = messages.text(&lang, key, &args);
    Ok(if html {
        tera::Value::safe_string(&text)
    } else {
        tera::Value::from(text)
    })
}

/// The thousands separator of a BCP 47 language tag (its primary subtag decides).
pub(crate) fn separator(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "" | "en" | "zh" | "ja" | "ko" | "he" | "th" | "hi" | "ga" | "mt" => ",",
        "de" | "nl" | "da" | "it" | "es" | "pt" | "tr" | "id" | "el" | "sl" | "hr" | "sr"
        | "ro" | "az" | "is" | "ka" | "vi" => ".",
        _ => "\u{202F}",
    }
}

/// `n` written for the readers of archive `a` (see the `num` filter): for counts drawn in
/// SVG at build time.
pub(crate) fn count_text(a: &crate::model::Archive, n: impl Into<i128>) -> String {
    group_digits(n.into(), separator(&a.config.language))
}

pub(crate) fn group_digits(n: i128, sep: &str) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len() + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A template engine as dyad's templates expect it: HTML and XML autoescaped, dyad's filters
/// and the `t` function registered.
fn new_tera(messages: &Arc<Messages>) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.register_filter("num", num);
    let m = Arc::clone(messages);
    tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| {
        translate(&m, kwargs, state)
    });
    tera
}

impl Renderer {
    /// Loads the built-in templates and the archive's own (`(name, source text)`), which
    /// override built-ins of the same name, with `messages` for the `t` function. Archive
    /// template errors are returned as diagnostics, all at once.
    pub fn new(
        archive_templates: &[(String, String)],
        messages: Arc<Messages>,
    ) -> Result<Renderer, Vec<RenderError>> {
        let mut tera = new_tera(&messages);
        let overridden: HashSet<String> =
            archive_templates.iter().map(|(n, _)| n.clone()).collect();
        let mut all: Vec<(String, String)> = theme::TEMPLATES
            .iter()
            .filter(|(n, _)| !overridden.contains(*n))
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        all.extend(archive_templates.iter().cloned());
        let renderer_probe = Renderer {
            tera: Tera::new(),
            overridden: overridden.clone(),
            messages: Arc::clone(&messages),
        };
        // Load one by one first so that every broken archive template is reported, not only the
        // first; then load them together (extends/include are resolved across the set).
        let mut errors = Vec::new();
        for (name, src) in &all {
            let mut t = new_tera(&messages);
            if let Err(e) = t.add_raw_template(name, src)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                errors.push(renderer_probe.classify(&e, Some(name)));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Err(e) = tera.add_raw_templates(all) {
            return Err(vec![renderer_probe.classify(&e, None)]);
        }
        Ok(Renderer {
            tera,
            overridden,
            messages,
        })
    }

    /// The interface strings templates reach through `t`.
    pub fn messages(&self) -> &Arc<Messages> {
        &self.messages
    }

    /// Sets the context every template sees (`site`).
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders one component of the loaded templates (e.g. `summary_item` of components.html)
    /// with `ctx` as its arguments.
    pub fn render_component(&self, name: &str, ctx: &Context) -> Result<String, RenderError> {
        self.tera
            .render_component(name, ctx, None, true)
            .map_err(|e| self.classify(&e, Some("components.html")))
    }

    /// Renders one template into this thread's reusable buffer and hands the bytes to `f`.
    ///
    /// Pages are rendered into one buffer per thread, grown once to the largest page, rather
    /// than into a new growing buffer per page: fresh memory costs page faults (on a virtual
    /// machine, first touches of memory are the slowest thing a build does), and `watch`
    /// keeps each page in an allocation of its exact size.
    pub fn render_with<R>(
        &self,
        template: &str,
        ctx: &Context,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, RenderError> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> =
                std::cell::RefCell::new(Vec::with_capacity(64 * 1024));
        }
        BUFFER.with(|b| {
            // A re-entrant call (none today) gets a buffer of its own.
            let mut own = Vec::new();
            let mut borrowed = b.try_borrow_mut();
            let buf = match &mut borrowed {
                Ok(buf) => &mut **buf,
                Err(_) => &mut own,
            };
            buf.clear();
            self.tera
                .render_to(template, ctx, &mut *buf)
                .map_err(|e| self.classify(&e, Some(template)))?;
            let r = f(buf);
            // Do not hold on to an exceptional page's worth of memory.
            if buf.capacity() > 16 << 20 {
                *buf = Vec::with_capacity(64 * 1024);
            }
            Ok(r)
        })
    }

    fn classify(&self, e: &tera::Error, fallback: Option<&str>) -> RenderError {
        let (file, line, col, message) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let s = r.span();
                (
                    r.filename().to_string(),
                    s.start_line as u32,
                    s.start_col as u32 + 1,
                    r.message().to_string(),
                )
            }
            _ => (fallback.unwrap_or_default().to_string(), 0, 0, chain(e)),
        };
        if self.overridden.contains(&file) {
            let mut d = Diagnostic::error(
                format!("templates/{file}"),
                format!("template error: {message}"),
            );
            if line > 0 {
                d.span = Some(crate::diag::Span { line, col, len: 1 });
            }
            RenderError::Content(d)
        } else {
            RenderError::Internal(format!("built-in template `{file}` failed: {}", chain(e)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages() -> Arc<Messages> {
        Arc::new(Messages::builtin(&["en".to_string(), "ru".to_string()]))
    }

    #[test]
    fn every_builtin_template_compiles() {
        assert!(Renderer::new(&[], messages()).is_ok());
        assert!(theme::TEMPLATES.iter().any(|(n, _)| *n == "base.html"));
    }

    #[test]
    fn archive_template_errors_name_the_file_and_line() {
        let bad = vec![(
            "page.html".to_string(),
            "{% extends \"base.html\" %}\n{% block content %}\n{{ oops( }}\n{% endblock content %}"
                .to_string(),
        )];
        let Err(errors) = Renderer::new(&bad, messages()) else {
            panic!("should fail")
        };
        let RenderError::Content(d) = &errors[0] else {
            panic!("should be a content error")
        };
        assert_eq!(d.path, "templates/page.html");
        assert_eq!(d.span.map(|s| s.line), Some(3));
    }

    #[test]
    fn numbers_are_grouped_by_thousands_as_the_language_writes_them() {
        assert_eq!(group_digits(0, ","), "0");
        assert_eq!(group_digits(999, ","), "999");
        assert_eq!(group_digits(1000, ","), "1,000");
        assert_eq!(group_digits(97091, ","), "97,091");
        assert_eq!(group_digits(-1234567, "."), "-1.234.567");
        assert_eq!(separator("en"), ",");
        assert_eq!(separator("en-GB"), ",");
        assert_eq!(separator("de"), ".");
        assert_eq!(separator("ru"), "\u{202F}");
        assert_eq!(separator("kk-Cyrl"), "\u{202F}");
    }

    #[test]
    fn the_num_filter_follows_site_language_and_refuses_what_is_not_a_number() {
        let page = |language: &str, expr: &str| {
            let own = vec![("t.html".to_string(), format!("{{{{ {expr} | num }}}}"))];
            let mut r = Renderer::new(&own, messages()).expect("compiles");
            r.set_global("site", &serde_json::json!({ "language": language }));
            let mut ctx = Context::new();
            ctx.insert("n", &12345);
            ctx.insert("s", "many");
            r.tera.render("t.html", &ctx)
        };
        assert_eq!(page("en", "n").unwrap(), "12,345");
        let a = crate::model::test_archive("https://example.org/", &[]);
        assert_eq!(count_text(&a, 12345u32), "12,345");
        assert_eq!(page("ru", "n").unwrap(), "12\u{202F}345");
        assert!(page("en", "s").is_err());
    }

    /// `t(key="…")` keys written literally in `text`.
    pub(crate) fn keys_in(text: &str, opening: &str) -> Vec<String> {
        text.match_indices(opening)
            .map(|(i, _)| {
                text[i + opening.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn every_key_the_builtin_templates_use_is_a_message_in_every_builtin_language() {
        let m = Messages::builtin(&["en".to_string(), "ru".to_string(), "kk".to_string()]);
        let mut used = 0;
        for (name, text) in theme::TEMPLATES {
            for key in keys_in(text, "t(key=\"") {
                used += 1;
                for lang in ["en", "ru", "kk"] {
                    assert!(
                        m.defines(lang, &key),
                        "templates/{name}: `{key}` is not in i18n/{lang}.ftl"
                    );
                }
            }
        }
        assert!(used > 100, "{used}");
    }

    #[test]
    fn the_t_function_speaks_the_site_language_and_escapes_arguments() {
        let page = |language: &str, src: &str| {
            let own = vec![("t.html".to_string(), src.to_string())];
            let mut r = Renderer::new(&own, messages()).expect("compiles");
            r.set_global("site", &serde_json::json!({ "language": language }));
            let mut ctx = Context::new();
            ctx.insert("n", &12345);
            ctx.insert("title", "<b>Gas</b>");
            r.tera.render("t.html", &ctx).unwrap()
        };
        assert_eq!(page("en", r#"{{ t(key="nav-periods") }}"#), "Periods");
        assert_eq!(page("ru", r#"{{ t(key="nav-periods") }}"#), "Периоды");
        assert_eq!(
            page("ru", r#"{{ t(key="nav-periods", lang="en") }}"#),
            "Periods"
        );
        assert_eq!(
            page("ru", r#"{{ t(key="count-works", count=n) }}"#),
            "12\u{202F}345 работ"
        );
        // Plain messages are escaped as a whole, `-html` ones keep their markup and escape
        // their arguments.
        assert_eq!(
            page("en", r#"{{ t(key="feed-title", title=title) }}"#),
            "&lt;b&gt;Gas&lt;/b&gt; — newest abstracts"
        );
        assert_eq!(
            page(
                "en",
                r#"{{ t(key="cross-heading-html", sphere=title, period="P") }}"#
            ),
            r#"&lt;b&gt;Gas&lt;/b&gt; <span class="h1-joiner">in</span> P"#
        );
        assert_eq!(page("en", r#"{{ t(key="no-such-key") }}"#), "no-such-key");
    }
}
