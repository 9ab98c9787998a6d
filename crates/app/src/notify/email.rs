//! An email notification: a plain-text and an HTML part saying the same,
//! sent through the site's SMTP relay (lettre). STARTTLS is required
//! unless the site says otherwise; the login comes from the environment
//! and is masked in every error. The message id is the notification's
//! key, so a resend after a crash is one message to a mail system that
//! keeps ids.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::attempt::{Attempt, Tools};
use super::payload::resolve;
use crate::catalog::notify::{Email, EmailTls};
use crate::outbox::{Notice, Subject, summary};

/// The subject, the plain text and the HTML of `notice`.
pub fn content(notice: &Notice, words: &crate::text::Words) -> (String, String, String) {
    let said = summary(notice, words);
    let subject: String = match &notice.subject {
        Subject::StatusUpdate { update } => {
            let run = notice.run.as_ref().map_or("", |r| r.id.as_str());
            format!("[{}] {run}", words.status.status(update.status))
        }
        _ => said.chars().take(120).collect(),
    };
    let mut plain = said.clone();
    let mut html = format!("<p>{}</p>", escape(&said));
    if let Subject::StatusUpdate { update } = &notice.subject {
        let w = words.status;
        let facts = format!(
            "{}: {} · {}{}",
            w.status(update.status),
            w.impact(update.impact),
            w.audience(update.audience()),
            if update.components.is_empty() {
                String::new()
            } else {
                format!(" · {}", update.components.join(", "))
            }
        );
        plain = format!("{}\n\n{facts}\n", update.text);
        html = format!(
            "<p>{}</p><p style=\"color:#5a6472\">{}</p>",
            escape(&update.text),
            escape(&facts)
        );
    }
    let subject = subject.chars().filter(|c| !c.is_control()).collect();
    (subject, plain, html)
}

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            c if c.is_control() && c != '\n' => format!("\\u{{{:x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

fn mailbox(address: &str) -> Result<Mailbox, String> {
    address
        .parse()
        .map_err(|e| format!("`{address}` is not an email address: {e}"))
}

fn message(email: &Email, notice: &Notice, words: &crate::text::Words) -> Result<Message, String> {
    let (subject, plain, html) = content(notice, words);
    let mut builder = Message::builder()
        .from(mailbox(&email.from)?)
        .subject(subject)
        .message_id(Some(format!("<{}@runbook>", notice.key)));
    for to in &email.to {
        builder = builder.to(mailbox(to)?);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(plain, html))
        .map_err(|e| format!("the message cannot be built: {e}"))
}

fn transport(
    email: &Email,
    tools: &Tools<'_>,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let parameters = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(email.host.clone());
        if let Some(file) = &email.ca_file {
            let pem = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
            let certificate = Certificate::from_pem(&pem)
                .map_err(|e| format!("{file}: not a PEM certificate: {e}"))?;
            builder = builder.add_root_certificate(certificate);
        }
        builder
            .build_rustls()
            .map_err(|e| format!("TLS to {}: {e}", email.host))
    };
    let tls = match email.tls {
        EmailTls::Starttls => Tls::Required(parameters()?),
        EmailTls::Tls => Tls::Wrapper(parameters()?),
        EmailTls::None => Tls::None,
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(email.host.clone())
        .port(email.port)
        .tls(tls)
        .timeout(Some(timeout));
    if let (Some(user), Some(password)) = (&email.username, &email.password) {
        builder = builder.credentials(Credentials::new(
            resolve(user, tools.env)?,
            resolve(password, tools.env)?,
        ));
    }
    Ok(builder.build())
}

pub async fn send(
    email: &Email,
    notice: &Notice,
    tools: &Tools<'_>,
    timeout: Duration,
) -> Result<Attempt, String> {
    let message = message(email, notice, tools.words)?;
    let transport = transport(email, tools, timeout)?;
    Ok(match transport.send(message).await {
        Ok(response) => Attempt::Sent {
            answer: format!(
                "{} {}",
                response.code(),
                response.message().next().unwrap_or_default()
            )
            .trim_end()
            .to_owned(),
        },
        // A relay's 5xx is its no: refused for good, as a 4xx of HTTP.
        Err(e) if e.is_permanent() => Attempt::Refused {
            error: e.to_string(),
        },
        Err(e) => Attempt::Retry {
            error: e.to_string(),
            after: None,
        },
    })
}
