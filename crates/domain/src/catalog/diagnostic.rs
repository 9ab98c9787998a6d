//! Diagnostics: what is wrong, where (file, line, column), and what was
//! expected, rendered with the offending line underneath.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

/// One file of the catalog as it was read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How the file is named to the operator: a path, or `bundled:NAME`.
    pub name: String,
    pub text: String,
}

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// Where something is: a file and a byte range in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: FileId,
    pub span: Range<usize>,
}

/// All files a catalog was loaded from, kept so that diagnostics can show
/// the lines they point at.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// A short stable name for the kind of mistake, e.g. `unknown-key`.
    pub code: &'static str,
    pub message: String,
    /// `None` for problems that concern a file as a whole (unreadable).
    pub origin: Option<Origin>,
    pub file: FileId,
    /// What was expected, or how to fix it.
    pub help: Option<String>,
    /// The span holds a secret: the shown line masks it.
    pub redact: bool,
    /// The site key that answers it, for a value the catalog cannot know
    /// (`[vars] firebase_app_id`): what `runbook init` writes and
    /// `check --strict` lists as still to fill in.
    pub answer: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            message: message.into(),
            file: origin.file,
            origin: Some(origin),
            help: None,
            redact: false,
            answer: None,
        }
    }

    pub fn warning(code: &'static str, origin: Origin, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(code, origin, message)
        }
    }

    pub fn file_error(code: &'static str, file: FileId, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            code,
            message: message.into(),
            origin: None,
            file,
            help: None,
            redact: false,
            answer: None,
        }
    }

    /// Masks the offending text when the line is shown, for values that
    /// must never reach a screen or a log.
    #[must_use]
    pub fn redacted(mut self) -> Self {
        self.redact = true;
        self
    }

    /// Names the site key that answers it.
    #[must_use]
    pub fn answered_by(mut self, key: impl Into<String>) -> Self {
        self.answer = Some(key.into());
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A 1-based line and column (in characters) for a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        self.files.len() - 1
    }

    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map_or("?", |f| f.name.as_str())
    }

    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let text = self.files.get(file).map_or("", |f| f.text.as_str());
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        LineCol { line, column }
    }

    /// `file:line:column` for an origin.
    pub fn locate(&self, origin: &Origin) -> String {
        let at = self.line_col(origin.file, origin.span.start);
        format!("{}:{}:{}", self.name(origin.file), at.line, at.column)
    }

    /// Renders a diagnostic the way compilers do, with the offending line
    /// and a caret under the offending part.
    pub fn render(&self, diagnostic: &Diagnostic) -> String {
        self.render_in(diagnostic, &crate::text::words::EN)
    }

    /// As `render`, in the operator's language.
    pub fn render_in(&self, diagnostic: &Diagnostic, words: &crate::text::Words) -> String {
        let french = words.lang == "fr";
        let say = |text: &str| {
            if french {
                crate::text::words::diagnostics::french(text)
            } else {
                text.to_owned()
            }
        };
        let mut out = String::new();
        let level = match (diagnostic.level, french) {
            (Level::Error, false) => "error",
            (Level::Warning, false) => "warning",
            (Level::Error, true) => "erreur",
            (Level::Warning, true) => "avertissement",
        };
        let message = say(&diagnostic.message);
        let _ = writeln!(out, "{level}[{}]: {message}", diagnostic.code);
        let pad = match &diagnostic.origin {
            None => {
                let _ = writeln!(out, " --> {}", self.name(diagnostic.file));
                " ".to_owned()
            }
            Some(origin) => self.render_snippet(&mut out, origin, diagnostic.redact),
        };
        if let Some(help) = &diagnostic.help {
            let label = if french { "aide" } else { "help" };
            let _ = writeln!(out, "{pad} = {label}: {}", say(help));
        }
        out
    }

    /// Writes the located line; returns the gutter padding used.
    fn render_snippet(&self, out: &mut String, origin: &Origin, redact: bool) -> String {
        let text = self.files.get(origin.file).map_or("", |f| f.text.as_str());
        let start = floor_char_boundary(text, origin.span.start);
        let at = self.line_col(origin.file, start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = floor_char_boundary(text, origin.span.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        let line = if redact {
            format!(
                "{}{}{}",
                &text[line_start..start],
                "*".repeat(width),
                &text[end..line_end]
            )
        } else {
            text[line_start..line_end].to_owned()
        };
        let line = line.trim_end_matches('\r');
        let number = at.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{pad}--> {}", self.locate(origin));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {line}");
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(at.column - 1),
            "^".repeat(width)
        );
        pad
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let mut sources = Sources::default();
        let file = sources.add("a.toml", "x = 1\ntitre = \"Déploiement\"\nbad = 2\n");
        let offset = sources.files[0].text.find("bad").unwrap();
        assert_eq!(
            sources.line_col(file, offset),
            LineCol { line: 3, column: 1 }
        );
        let e = sources.files[0].text.find("ment").unwrap();
        assert_eq!(sources.line_col(file, e).column, 17);
    }

    #[test]
    fn render_shows_the_line_and_a_caret() {
        let mut sources = Sources::default();
        let file = sources.add("deploy.toml", "id = \"x\"\ntitel = \"Build\"\n");
        let start = 9;
        let diag = Diagnostic::error(
            "unknown-key",
            Origin {
                file,
                span: start..start + 5,
            },
            "unknown key `titel` in a step",
        )
        .with_help("did you mean `title`?");
        let text = sources.render(&diag);
        assert!(
            text.contains("error[unknown-key]: unknown key `titel` in a step"),
            "{text}"
        );
        assert!(text.contains("--> deploy.toml:2:1"), "{text}");
        assert!(text.contains("2 | titel = \"Build\""), "{text}");
        assert!(text.contains("  | ^^^^^\n"), "{text}");
        assert!(text.contains("= help: did you mean `title`?"), "{text}");
    }

    #[test]
    fn redacted_spans_are_masked_in_the_shown_line() {
        let mut sources = Sources::default();
        let text = "token = \"hunter2\" # x\n";
        let file = sources.add("m.toml", text);
        let start = text.find('"').unwrap();
        let diag = Diagnostic::error(
            "secret",
            Origin {
                file,
                span: start..start + 9,
            },
            "m",
        )
        .redacted();
        let shown = sources.render(&diag);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("token = ********* # x"), "{shown}");
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let mut sources = Sources::default();
        let file = sources.add("e.toml", "é");
        let diag = Diagnostic::error("x", Origin { file, span: 1..99 }, "m");
        assert!(sources.render(&diag).contains("e.toml:1:1"));
    }
}
