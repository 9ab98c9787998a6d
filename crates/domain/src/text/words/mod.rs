//! The program's own words, in English and French: one typed table per
//! area, each entry written in both languages side by side. The `words!`
//! macro makes a missing translation a compile error (an entry has exactly
//! two texts), and a text with holes is a function of typed arguments, so
//! a French sentence can put them in its own order.
//!
//! Texts that came from outside (checklists, notes, names) are not here:
//! the catalog carries its own `{ fr, en }` texts.

/// Declares a table of words: `name: "English", "French";` for a fixed
/// text, `name(arg: Type, ...): "English {arg}", "French {arg}";` for one
/// with holes (a `format!` string over the arguments).
macro_rules! words {
    (
        $(#[$doc:meta])*
        pub struct $table:ident;
        fixed { $( $(#[$fdoc:meta])* $f:ident : $fen:literal , $ffr:literal ; )* }
        shaped { $( $(#[$sdoc:meta])* $s:ident ( $( $a:ident : $t:ty ),* ) : $sen:literal , $sfr:literal ; )* }
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $table {
            $( $(#[$fdoc])* pub $f: &'static str, )*
            $( $(#[$sdoc])* pub $s: fn( $($t),* ) -> String, )*
        }

        #[allow(unused_variables, clippy::useless_format)]
        pub static EN: $table = $table {
            $( $f: $fen, )*
            $( $s: |$($a),*| format!($sen), )*
        };

        #[allow(unused_variables, clippy::useless_format)]
        pub static FR: $table = $table {
            $( $f: $ffr, )*
            $( $s: |$($a),*| format!($sfr), )*
        };
    };
}

pub mod commands;
pub mod console;
pub mod diagnostics;
pub mod drill;
pub mod exec;
pub mod gdpr;
pub mod help;
mod help_status;
pub mod init;
pub mod learn;
pub mod line;
pub mod metrics;
pub mod notify;
pub mod reference;
pub mod run;
pub mod status;

/// Every table, in one language.
#[derive(Debug)]
pub struct Words {
    /// The language's code, as the catalog's texts are keyed.
    pub lang: &'static str,
    pub run: &'static run::Run,
    pub commands: &'static commands::Commands,
    pub line: &'static line::Line,
    pub console: &'static console::Console,
    pub metrics: &'static metrics::Metrics,
    pub reference: &'static reference::Reference,
    pub exec: &'static exec::Exec,
    pub notify: &'static notify::Notify,
    pub drill: &'static drill::Drill,
    pub init: &'static init::Init,
    pub learn: &'static learn::Learn,
    pub status: &'static status::Status,
    pub gdpr: &'static gdpr::Gdpr,
}

pub static EN: Words = Words {
    lang: "en",
    run: &run::EN,
    commands: &commands::EN,
    line: &line::EN,
    console: &console::EN,
    metrics: &metrics::EN,
    reference: &reference::EN,
    exec: &exec::EN,
    notify: &notify::EN,
    drill: &drill::EN,
    init: &init::EN,
    learn: &learn::EN,
    status: &status::EN,
    gdpr: &gdpr::EN,
};

pub static FR: Words = Words {
    lang: "fr",
    run: &run::FR,
    commands: &commands::FR,
    line: &line::FR,
    console: &console::FR,
    metrics: &metrics::FR,
    reference: &reference::FR,
    exec: &exec::FR,
    notify: &notify::FR,
    drill: &drill::FR,
    init: &init::FR,
    learn: &learn::FR,
    status: &status::FR,
    gdpr: &gdpr::FR,
};

/// A run's phase as `runs::Summary` names it (`open`, `detached`,
/// `finished`, `aborted`), in the operator's words.
pub fn phase(phase: &str, words: &Words) -> &'static str {
    let w = words.run;
    match phase {
        "open" => w.open,
        "detached" => w.detached,
        "aborted" => w.aborted,
        _ => w.finished,
    }
}

/// The words for a language code (`fr`, `en`, as `--lang` and `LANG` give
/// it); English for any other.
pub fn words(lang: &str) -> &'static Words {
    if lang.starts_with("fr") { &FR } else { &EN }
}
