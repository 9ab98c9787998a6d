//! A database journal's address: `postgres://user@host:port/db?sslmode=…`,
//! the password from `${VARIABLE}` in the URL, `PGPASSWORD` or `.pgpass`
//! (never from the URL itself: a command line is readable by every user
//! of the host), and the TLS mode as libpq spells it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How the connection is encrypted and what is checked, as libpq's
/// `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    Disable,
    /// Encrypt when the server offers it; nothing checked (libpq's default).
    Prefer,
    /// Encrypt or fail; the certificate is checked only against
    /// `sslrootcert` when one is given (as libpq).
    Require,
    /// Encrypt; the certificate chain is checked, not the name.
    VerifyCa,
    /// Encrypt; the chain and the host name are checked.
    VerifyFull,
}

/// A parsed database address, with its secret resolved.
#[derive(Clone)]
pub struct Target {
    pub config: tokio_postgres::Config,
    pub tls: Tls,
    /// `sslrootcert`: the CA certificates to trust, PEM; otherwise the
    /// Mozilla roots.
    pub root_cert: Option<PathBuf>,
    /// The URL as shown: never a password.
    pub shown: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("shown", &self.shown)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

/// Whether `location` names a database rather than a file.
pub fn is_database(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Parses `url`; `env` gives the environment. The error says what is wrong
/// without repeating a secret.
pub fn parse(url: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Target, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "not a postgres:// URL".to_owned())?;
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = before_query
        .split_once('/')
        .map_or((before_query, ""), |(a, p)| (a, p));
    let (userinfo, hosts) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, password) = userinfo
        .split_once(':')
        .map_or((userinfo, None), |(u, p)| (u, Some(p)));

    let mut tls = Tls::Prefer;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "sslmode" => {
                tls = match value {
                    "disable" => Tls::Disable,
                    "allow" | "prefer" => Tls::Prefer,
                    "require" => Tls::Require,
                    "verify-ca" => Tls::VerifyCa,
                    "verify-full" => Tls::VerifyFull,
                    other => {
                        return Err(format!(
                            "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                        ));
                    }
                };
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            "password" => {
                return Err("a password in the URL is refused: use ${RUNBOOK_PG_PASSWORD}, PGPASSWORD or ~/.pgpass".to_owned());
            }
            _ => kept.push(pair),
        }
    }
    let secret = match password {
        None | Some("") => None,
        Some(p) => Some(expand(p, env)?),
    };
    let mut plain = format!("{scheme}://");
    if !user.is_empty() {
        plain.push_str(user);
        plain.push('@');
    }
    plain.push_str(hosts);
    plain.push('/');
    plain.push_str(path);
    if !kept.is_empty() {
        plain.push('?');
        plain.push_str(&kept.join("&"));
    }
    let mut config = tokio_postgres::Config::from_str(&plain)
        .map_err(|e| format!("cannot read the database URL: {e}"))?;
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .unwrap_or_else(|| "postgres".to_owned());
        config.user(user);
    }
    if config.get_dbname().is_none()
        && let Some(db) = env("PGDATABASE")
    {
        config.dbname(db);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(5));
    }
    config.application_name("runbook");
    config.keepalives(true);
    config.keepalives_idle(std::time::Duration::from_secs(30));
    let password = secret
        .or_else(|| env("PGPASSWORD").filter(|p| !p.is_empty()))
        .or_else(|| pgpass(&config, env));
    if let Some(password) = password {
        config.password(password);
    }
    Ok(Target {
        config,
        tls,
        root_cert,
        shown: plain,
    })
}

/// `${NAME}` from the environment; anything else is a literal secret,
/// refused.
fn expand(password: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let decoded = password
        .replace("%7B", "{")
        .replace("%7D", "}")
        .replace("%24", "$");
    let name = decoded
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .ok_or_else(|| {
            "a password written in the URL is refused: write ${RUNBOOK_PG_PASSWORD} (or use PGPASSWORD or ~/.pgpass)".to_owned()
        })?;
    env(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("the URL takes its password from ${{{name}}}, which is not set"))
}

/// The password `.pgpass` gives this host, port, database and user (the
/// file named by `PGPASSFILE`, or `~/.pgpass`; as libpq, a file others may
/// read is ignored).
fn pgpass(config: &tokio_postgres::Config, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let file = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
    let meta = std::fs::metadata(&file).ok()?;
    if meta.permissions().mode() & 0o077 != 0 {
        tracing::warn!(
            "{}: ignored, others may read it (chmod 0600)",
            file.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default().to_owned();
    let user = config.get_user().unwrap_or_default().to_owned();
    pgpass_lookup(&text, [&host, &port, &db, &user])
}

/// The first `.pgpass` line whose four fields match (`*` matches any).
pub fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_escaped(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(want)
            .all(|(field, wanted)| field == "*" || field == wanted);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

/// Splits a `.pgpass` line on `:`, honouring `\:` and `\\`.
fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "RUNBOOK_PG_PASSWORD" => Some("s3cret:pw".into()),
            "USER" => Some("ana".into()),
            _ => None,
        }
    }

    #[test]
    fn the_password_comes_from_the_variable_and_is_never_shown() {
        let t = parse(
            "postgres://ops:${RUNBOOK_PG_PASSWORD}@db.example:6543/journal?sslmode=verify-full&sslrootcert=/etc/ca.pem",
            &env,
        )
        .unwrap();
        assert_eq!(t.config.get_password(), Some(&b"s3cret:pw"[..]));
        assert_eq!(t.tls, Tls::VerifyFull);
        assert_eq!(t.root_cert.as_deref(), Some(Path::new("/etc/ca.pem")));
        assert_eq!(t.config.get_ports(), [6543]);
        assert!(!t.shown.contains("s3cret"), "{}", t.shown);
        assert!(!format!("{t:?}").contains("s3cret"));
    }

    #[test]
    fn a_literal_password_is_refused_without_repeating_it() {
        let e = parse("postgres://ops:hunter2@db/journal", &env).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("RUNBOOK_PG_PASSWORD"), "{e}");
        let e = parse("postgres://ops:${MISSING}@db/journal", &env).unwrap_err();
        assert!(e.contains("MISSING"), "{e}");
        assert!(parse("postgres://db/j?sslmode=maybe", &env).is_err());
    }

    #[test]
    fn the_user_defaults_to_the_os_user_and_tls_to_prefer() {
        let t = parse("postgresql://127.0.0.1:5433/journal", &env).unwrap();
        assert_eq!(t.config.get_user(), Some("ana"));
        assert_eq!(t.tls, Tls::Prefer);
        assert!(is_database("postgresql://x") && !is_database("/var/journal.jsonl"));
    }

    #[test]
    fn pgpass_matches_fields_with_wildcards_and_escapes() {
        let text = "# comment\nother:5432:*:ops:no\ndb:*:journal:ops:pa\\:ss\n";
        assert_eq!(
            pgpass_lookup(text, ["db", "5432", "journal", "ops"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(pgpass_lookup(text, ["db", "5432", "other", "ops"]), None);
    }
}
