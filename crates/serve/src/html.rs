//! The pages, written by hand: no framework and nothing fetched from
//! elsewhere, readable on a phone, whole without JavaScript. A small
//! inline script (allowed by its hash in the page's policy) keeps a page
//! live through server-sent events; every word from a person or the
//! journal is escaped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use base64::Engine as _;
use chrono::{DateTime, Utc};

use crate::Identity;
use crate::learn::stats::Stats;
use crate::status::page::{Incident, Maintenance, Page};
use crate::status::{Posted, summary};
use crate::text::Words;

const STYLE: &str = "\
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1b1f24;background:#fff}\
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}h3{font-size:1rem;margin:0}\
.overall{padding:.8rem 1rem;border-radius:.4rem;color:#fff;font-weight:600;background:#1f7a3a}\
.overall.minor{background:#b7791f}.overall.major{background:#c05621}.overall.critical{background:#c53030}.overall.maintenance{background:#2b6cb0}\
ul.components{list-style:none;padding:0;margin:0}ul.components li{display:flex;justify-content:space-between;gap:1rem;padding:.5rem 0;border-bottom:1px solid #e2e8f0}\
.operational{color:#1f7a3a}.degraded_performance{color:#b7791f}.partial_outage{color:#c05621}.major_outage{color:#c53030}.under_maintenance{color:#2b6cb0}\
article{border:1px solid #e2e8f0;border-radius:.4rem;padding:.8rem 1rem;margin:.6rem 0}\
ol.updates{list-style:none;padding:0;margin:.5rem 0 0}ol.updates li{margin:.4rem 0}\
time,.muted{color:#5a6472;font-size:.9rem}.tag{font-size:.8rem;border:1px solid #cbd5e0;border-radius:.3rem;padding:0 .3rem;margin-left:.3rem}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e2e8f0;font-size:.95rem}\
@media (prefers-color-scheme:dark){body{background:#111418;color:#e6e9ee}article,ul.components li,td,th{border-color:#2d3440}}";

const SCRIPT: &str = "(function(){if(!window.EventSource)return;\
var s=new EventSource(document.body.getAttribute('data-events'));\
s.addEventListener('page',function(e){document.getElementById('live').innerHTML=e.data;});})();";

fn sha256_b64(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
}

/// One page, whole and as the part an event stream replaces.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub page: std::sync::Arc<str>,
    pub live: std::sync::Arc<str>,
}

/// The page's own policy: its inline style and script by hash, its event
/// stream from itself, nothing else.
pub static POLICY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        sha256_b64(STYLE),
        sha256_b64(SCRIPT)
    )
});

/// Text as HTML: markup characters escaped, control characters (a
/// terminal's escape sequences) made visible.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn when(at: DateTime<Utc>) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        at.format("%Y-%m-%d %H:%M UTC")
    )
}

fn document(identity: &Identity, title: &str, lang: &str, events: &str, live: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{name} — {title}</title><style>{STYLE}</style></head>\
<body data-events=\"{events}\"><header><h1>{name} — {title}</h1></header>\
<main id=\"live\">{live}</main>\
<footer class=\"muted\"><a href=\"/api/v2/summary.json\">summary.json</a></footer>\
<script>{SCRIPT}</script></body></html>\n",
        name = esc(&identity.name),
        title = esc(title),
    )
}

/// The public page, in `words`' language.
pub fn public(page: &Page, identity: &Identity, words: &Words) -> Rendered {
    let live = live_public(page, words);
    let events = format!("/events?lang={}", words.lang);
    let page = document(
        identity,
        words.status.page_title,
        words.lang,
        &events,
        &live,
    );
    Rendered {
        page: page.into(),
        live: live.into(),
    }
}

fn live_public(page: &Page, words: &Words) -> String {
    let w = words.status;
    let mut out = String::new();
    overall(&mut out, page, words);
    if !page.incidents.is_empty() {
        let _ = write!(out, "<section><h2>{}</h2>", w.open_incidents);
        for incident in &page.incidents {
            incident_html(&mut out, incident, words, None);
        }
        out.push_str("</section>");
    }
    maintenances(&mut out, &page.maintenances, words);
    components(&mut out, page, words);
    let _ = write!(out, "<section><h2>{}</h2>", w.past_incidents);
    if page.resolved.is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p>", w.no_past_incidents);
    }
    for incident in &page.resolved {
        incident_html(&mut out, incident, words, None);
    }
    out.push_str("</section>");
    let _ = write!(out, "<p class=\"muted\">{} {}</p>", w.as_of, when(page.at));
    out
}

fn overall(out: &mut String, page: &Page, words: &Words) {
    let _ = write!(
        out,
        "<p class=\"overall {}\" id=\"overall\">{}</p>",
        page.indicator,
        summary::description(page.indicator, words)
    );
}

fn components(out: &mut String, page: &Page, words: &Words) {
    let w = words.status;
    let _ = write!(
        out,
        "<section><h2>{}</h2><ul class=\"components\">",
        w.components
    );
    for c in &page.components {
        let _ = write!(
            out,
            "<li id=\"component-{id}\"><span>{name}</span><span class=\"{state}\">{said}</span></li>",
            id = esc(&c.id),
            name = esc(&c.name),
            state = c.status,
            said = w.component_state(c.status)
        );
    }
    out.push_str("</ul></section>");
}

fn maintenances(out: &mut String, maintenances: &[Maintenance], words: &Words) {
    if maintenances.is_empty() {
        return;
    }
    let w = words.status;
    let _ = write!(out, "<section><h2>{}</h2>", w.maintenances);
    for m in maintenances {
        let _ = write!(
            out,
            "<article id=\"{id}\"><h3>{name} <span class=\"tag\">{status}</span></h3>",
            id = esc(&m.id),
            name = esc(&m.name),
            status = w.status(m.status)
        );
        if let (Some(from), Some(until)) = (m.scheduled_for, m.scheduled_until) {
            let _ = write!(out, "<p>{} → {}</p>", when(from), when(until));
        }
        updates(out, &m.updates, words, false);
        out.push_str("</article>");
    }
    out.push_str("</section>");
}

/// One incident; on the company's page, with its run's facts.
fn incident_html(out: &mut String, i: &Incident, words: &Words, facts: Option<&RunFacts>) {
    let w = words.status;
    let _ = write!(
        out,
        "<article id=\"{id}\" class=\"incident\"><h3>{name} <span class=\"tag\">{status}</span><span class=\"tag\">{impact}</span></h3>",
        id = esc(&i.id),
        name = esc(&i.name),
        status = w.status(i.status),
        impact = w.impact(i.impact),
    );
    if let Some(facts) = facts {
        let (closed, all) = i.progress;
        let _ = write!(
            out,
            "<p class=\"muted\">{} · <code>{}</code> · {}: {closed}/{all}</p>",
            esc(&facts.procedure),
            esc(&i.id),
            w.progress
        );
        if !facts.deadlines.is_empty() {
            let _ = write!(out, "<p><strong>{}</strong></p><ul>", w.deadlines);
            for (label, said) in &facts.deadlines {
                let _ = write!(out, "<li>{}: {}</li>", esc(label), esc(said));
            }
            out.push_str("</ul>");
        }
    }
    updates(out, &i.updates, words, facts.is_some());
    out.push_str("</article>");
}

fn updates(out: &mut String, updates: &[Posted], words: &Words, internal: bool) {
    let w = words.status;
    out.push_str("<ol class=\"updates\">");
    for u in updates {
        let _ = write!(
            out,
            "<li id=\"update-{seq}\"><strong>{status}</strong> — {text}<br>{at}",
            seq = u.seq,
            status = w.status(u.update.status),
            text = esc(&u.update.text),
            at = when(u.at),
        );
        if internal {
            let _ = write!(
                out,
                " <span class=\"muted\">{}</span><span class=\"tag\">{}</span>",
                esc(&u.by),
                w.audience(u.update.audience())
            );
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

/// What the company's page shows of a run beyond its updates.
#[derive(Debug, Clone)]
pub struct RunFacts {
    pub procedure: String,
    /// Each deadline, and where it stands in words.
    pub deadlines: Vec<(String, String)>,
}

/// The company's page: every update, public or not, the runs' progress
/// and deadlines, and the team's numbers.
#[derive(Debug)]
pub struct Internal<'a> {
    pub page: &'a Page,
    pub runs: HashMap<String, RunFacts>,
    pub numbers: &'a Stats,
}

pub fn internal(company: &Internal<'_>, identity: &Identity, words: &Words) -> Rendered {
    let w = words.status;
    let page = company.page;
    let mut live = String::new();
    overall(&mut live, page, words);
    let _ = write!(live, "<section><h2>{}</h2>", w.open_incidents);
    if page.incidents.is_empty() {
        let _ = write!(live, "<p class=\"muted\">{}</p>", w.no_open_incident);
    }
    for incident in &page.incidents {
        incident_html(&mut live, incident, words, company.runs.get(&incident.id));
    }
    live.push_str("</section>");
    maintenances(&mut live, &page.maintenances, words);
    components(&mut live, page, words);
    numbers(&mut live, company.numbers, words);
    let _ = write!(live, "<section><h2>{}</h2>", w.past_incidents);
    for incident in &page.resolved {
        incident_html(
            &mut live,
            incident,
            words,
            Some(&RunFacts {
                procedure: incident.procedure.clone(),
                deadlines: Vec::new(),
            }),
        );
    }
    live.push_str("</section>");
    let events = format!("/internal/events?lang={}", words.lang);
    let whole = document(identity, w.internal_title, words.lang, &events, &live);
    Rendered {
        page: whole.into(),
        live: live.into(),
    }
}

fn numbers(out: &mut String, stats: &Stats, words: &Words) {
    let w = words.status;
    let span = |s: Option<crate::learn::moments::Span>| {
        s.map_or_else(
            || "–".to_owned(),
            |s| crate::catalog::duration::human(s.delta()),
        )
    };
    let d = &stats.delivery;
    let rate = d
        .change_failure_rate
        .map_or_else(|| "–".to_owned(), |r| format!("{:.0} %", r * 100.0));
    let _ = write!(
        out,
        "<section><h2>{}</h2><table><tbody>\
<tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{rate}</td></tr>\
<tr><th>{}</th><td>{}</td></tr>",
        w.numbers,
        w.n_deploys,
        d.deploys,
        w.n_failure_rate,
        w.n_restore,
        span(d.time_to_restore.p50),
    );
    for severity in &stats.incidents {
        let _ = write!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(&(w.n_severity)(&severity.severity, severity.runs)),
            esc(&(w.n_respond)(
                &span(severity.respond.p50),
                severity.response_met.met,
                severity.response_met.of
            ))
        );
    }
    let p = &stats.postmortems;
    let _ = write!(
        out,
        "<tr><th>{}</th><td>{} / {}</td></tr></tbody></table><p class=\"muted\">{}</p></section>",
        w.n_postmortems, p.owed, p.overdue, w.n_window
    );
}
