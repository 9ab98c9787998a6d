//! Site layers through the binary: a team's own file amends the bundled
//! catalog (or a `--catalog` one) by id, adds, disables; later layers win;
//! a mistake in a layer is reported at its file, line and column, and the
//! catalog is then not used.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/site.toml")
}

fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = common::runbook(dir.join("journal.jsonl"), "alice");
    command.env("XDG_CONFIG_HOME", dir.join("config"));
    command.env("HOME", dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn reach(contacts: &serde_json::Value, id: &str) -> serde_json::Value {
    contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map_or(serde_json::Value::Null, |c| c["reach"].clone())
}

#[test]
fn the_example_site_amends_and_adds_over_the_bundled_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let site = example();
    let site = site.to_str().unwrap();
    let contacts = json(&run(
        dir.path(),
        &[],
        &["--site", site, "contacts", "--json"],
    ));
    assert_eq!(reach(&contacts, "cto"), "+33 6 00 00 00 02");
    assert_eq!(
        reach(&contacts, "on-call"),
        "PagerDuty",
        "untouched values stay"
    );
    assert_eq!(
        reach(&contacts, "noc"),
        "noc@example.org",
        "a new id is added"
    );
    let cto = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "cto")
        .unwrap();
    assert_eq!(
        cto["name"], "CTO",
        "an amend keeps the keys it does not name"
    );

    let access = json(&run(dir.path(), &[], &["--site", site, "access", "--json"]));
    let lead = access
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "tech-lead")
        .unwrap();
    assert_eq!(lead["holders"], serde_json::json!(["alice", "bob"]));
    assert_eq!(lead["mfa"], true);

    let dashboards = json(&run(
        dir.path(),
        &[],
        &["--site", site, "dashboards", "--json"],
    ));
    let sentry = dashboards
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "sentry")
        .unwrap();
    assert_eq!(
        sentry["url"],
        "https://sentry.example.org/organizations/acme/issues/"
    );

    let check = run(dir.path(), &[], &["--site", site, "check", "--strict"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{said}");
    assert!(
        said.contains("examples/site.toml: 10 amended, 1 added, 0 disabled"),
        "{said}"
    );

    // The console's escalation contact follows the site: P1 calls the CTO's number.
    let show = run(dir.path(), &[], &["--site", site, "show", "incident"]);
    assert!(
        String::from_utf8_lossy(&show.stdout).contains("escalate at P1 to CTO: +33 6 00 00 00 02")
    );
}

#[test]
fn origins_say_which_layer_set_each_value() {
    let dir = tempfile::tempdir().unwrap();
    let site = example();
    let site = site.to_str().unwrap();
    // Which layer set what: the number is the site's, the name the catalog's.
    let origins = json(&run(
        dir.path(),
        &[],
        &["--site", site, "show", "cto", "--origins", "--json"],
    ));
    let contact = origins
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "contact")
        .unwrap();
    let values = contact["values"].as_array().unwrap();
    assert_eq!(values.len(), 1, "{contact}");
    assert_eq!(values[0]["key"], "reach");
    let text = std::fs::read_to_string(example()).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l == "reach = \"+33 6 00 00 00 02\"")
        .unwrap();
    assert!(
        values[0]["at"]
            .as_str()
            .unwrap()
            .ends_with(&format!("examples/site.toml:{line}:9")),
        "{contact}"
    );
    let text = run(
        dir.path(),
        &[],
        &["--site", site, "show", "noc", "--origins"],
    );
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("added at "),
        "{text:?}"
    );
    let untouched = run(
        dir.path(),
        &[],
        &["--site", site, "show", "deploy", "--origins"],
    );
    assert!(String::from_utf8_lossy(&untouched.stdout).contains("no site layer amends it"));
}

#[test]
fn layers_apply_in_order_from_every_place_and_the_last_wins() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, reach: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("[[contact]]\nid = \"cto\"\nreach = \"{reach}\"\n"),
        )
        .unwrap();
        path
    };
    let user = dir.path().join("config/runbook");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("site.toml"),
        "[[contact]]\nid = \"cto\"\nreach = \"user\"\n",
    )
    .unwrap();
    let configured = write("configured.toml", "config");
    std::fs::write(user.join("config.toml"), "site = [\"~/configured.toml\"]\n").unwrap();
    let from_env = write("env.toml", "env");
    let from_flag = write("flag.toml", "flag");

    let cto = |env: &[(&str, &str)], args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["contacts", "--json"]);
        reach(&json(&run(dir.path(), env, &all)), "cto")
    };
    let env = [("RUNBOOK_SITE", from_env.to_str().unwrap())];
    assert_eq!(
        cto(&[], &[]),
        "config",
        "the config's site comes after the user's file"
    );
    assert_eq!(cto(&env, &[]), "env");
    assert_eq!(cto(&env, &["--site", from_flag.to_str().unwrap()]), "flag");

    let config = run(dir.path(), &env, &["config"]);
    let said = String::from_utf8_lossy(&config.stdout);
    for (path, origin) in [
        (user.join("site.toml"), "default"),
        (configured.clone(), "config file"),
        (from_env.clone(), "environment (RUNBOOK_SITE)"),
    ] {
        let line = said
            .lines()
            .find(|l| l.contains(path.to_str().unwrap()))
            .unwrap_or_else(|| panic!("{path:?} not in:\n{said}"));
        assert!(
            line.starts_with("site layer") && line.ends_with(origin),
            "{line}"
        );
    }
}

#[test]
fn an_amend_of_an_unknown_id_a_broken_layer_and_disabled_procedures() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "[[contact]]\nid = \"ctoo\"\nreach = \"+33\"\n").unwrap();
    let out = run(
        dir.path(),
        &[],
        &["--site", unknown.to_str().unwrap(), "contacts"],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a catalog with errors is never used"
    );
    assert!(said.contains("no contact `ctoo` to amend"), "{said}");
    assert!(said.contains("unknown.toml:2:6"), "{said}");
    assert!(said.contains("did you mean `cto`?"), "{said}");

    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        "[[contact]]\nid = \"cto\"\nreach = 5\nemergency = \"yes\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[],
        &["--site", broken.to_str().unwrap(), "check"],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(said.contains("broken.toml:3:9"), "{said}");
    assert!(said.contains("broken.toml:4:13"), "{said}");

    let syntax = dir.path().join("syntax.toml");
    std::fs::write(&syntax, "[[contact]\nid = \"cto\"\n").unwrap();
    let out = run(
        dir.path(),
        &[],
        &["--site", syntax.to_str().unwrap(), "list"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("syntax.toml:1:"));

    let disable = dir.path().join("disable.toml");
    std::fs::write(
        &disable,
        "[[procedure]]\nid = \"recovery\"\ndisabled = true\n",
    )
    .unwrap();
    let list = json(&run(
        dir.path(),
        &[],
        &["--site", disable.to_str().unwrap(), "list", "--json"],
    ));
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.contains(&"recovery") && ids.contains(&"deploy"),
        "{ids:?}"
    );
}

#[test]
fn a_layer_applies_over_a_catalog_given_with_catalog_too() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    let site = dir.path().join("site.toml");
    let first = std::fs::read_dir(&catalog)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .find_map(|text| {
            let at = text.find("[[procedure]]\nid = \"")?;
            let rest = &text[at + "[[procedure]]\nid = \"".len()..];
            Some(rest[..rest.find('"')?].to_owned())
        })
        .unwrap();
    std::fs::write(
        &site,
        format!("[[procedure]]\nid = \"{first}\"\ntitle = \"Amended by the site\"\n"),
    )
    .unwrap();
    let list = json(&run(
        dir.path(),
        &[],
        &[
            "--catalog",
            catalog.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
            "list",
            "--json",
        ],
    ));
    let amended = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == first.as_str())
        .unwrap();
    assert_eq!(amended["title"], "Amended by the site");
}

#[test]
fn variables_are_put_in_place_by_the_last_layer_and_unset_ones_shown_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let show = |args: &[&str]| {
        let out = run(dir.path(), &[], args);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };

    let bare = show(&["show", "rollback"]);
    assert!(
        bare.contains("releases:list --app <firebase_app_id: unset>"),
        "never silently empty: {bare}"
    );
    assert!(
        bare.contains("--version ${version_code}"),
        "a run's variable is not unset"
    );
    let strict = run(dir.path(), &[], &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(2));

    let first = write(
        "first.toml",
        "[vars]\nfirebase_app_id = \"first\"\ndomain = \"acme.example\"\n\n[[dashboard]]\nid = \"sentry\"\nurl = \"https://sentry.${domain}/issues\"\n",
    );
    let second = write("second.toml", "[vars]\nfirebase_app_id = \"second\"\n");
    let layered = show(&["--site", &first, "--site", &second, "show", "deploy"]);
    assert!(layered.contains("--app second --groups"), "{layered}");
    let dashboards = json(&run(
        dir.path(),
        &[],
        &["--site", &first, "dashboards", "--json"],
    ));
    let sentry = dashboards
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "sentry")
        .unwrap();
    assert_eq!(sentry["url"], "https://sentry.acme.example/issues");

    let unset_url = write(
        "unset.toml",
        "[[dashboard]]\nid = \"sentry\"\nurl = \"https://sentry.${nowhere}/\"\n",
    );
    let table = show(&["--site", &unset_url, "dashboards"]);
    assert!(
        table.contains("https://sentry.<nowhere: unset>/"),
        "{table}"
    );
    let check = run(dir.path(), &[], &["--site", &unset_url, "check"]);
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(
        said.contains("variable `nowhere` in dashboard `sentry` is not set"),
        "{said}"
    );

    let bad = write(
        "bad.toml",
        "[vars]\nport = 8080\n\n[[procedure]]\nid = \"rollback\"\ntitle = \"R\"\n\n[[procedure.section]]\nid = \"s\"\ntitle = \"S\"\n\n[[procedure.section.step]]\nid = \"a\"\ntext = \"A\"\nsets = \"x\"\n",
    );
    let out = run(dir.path(), &[], &["--site", &bad, "check"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("bad.toml:2:8"),
        "a variable must be a string: {said}"
    );
    assert!(
        said.contains("bad.toml:15:8") && said.contains("asks for no evidence"),
        "{said}"
    );
}
