use ssh_key::{HashAlg, PrivateKey};

use super::*;

fn key(seed: u8) -> PrivateKey {
    PrivateKey::from(ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]))
}

fn fingerprint_of(key: &PrivateKey) -> String {
    super::super::sign::fingerprint(key.public_key())
}

fn person(id: &str, key: &PrivateKey) -> Person {
    Person {
        id: id.into(),
        keys: vec![PersonKey {
            fingerprint: fingerprint_of(key),
            from: None,
            until: None,
        }],
        os_users: Vec::new(),
        db_roles: Vec::new(),
    }
}

/// alice (tech lead, the publishers' role) and mallory (no role).
fn team() -> Policy {
    Policy {
        require: Require::Signature,
        operators: vec![person("alice", &key(1)), person("mallory", &key(2))],
        roles: vec![Holders {
            role: "tech-lead".into(),
            holders: vec!["alice".into()],
        }],
        publishers: vec!["tech-lead".into()],
    }
}

fn signed(policy: Policy, by: &PrivateKey) -> Published {
    let sig = by
        .sign("runbook", HashAlg::Sha512, &policy.message())
        .unwrap()
        .to_pem(ssh_key::LineEnding::LF)
        .unwrap();
    Published {
        policy,
        signature: super::super::sign::unarmoured(&sig),
    }
}

fn now() -> DateTime<Utc> {
    "2026-12-05T10:00:00Z".parse().unwrap()
}

#[test]
fn the_first_policy_is_trusted_on_first_use_when_a_publisher_it_names_signs_it() {
    let first = signed(team(), &key(1));
    assert_eq!(first.accept(None, "alice", now()), Ok(Accepted::OnFirstUse));
    let by_mallory = signed(team(), &key(2));
    let refused = by_mallory.accept(None, "mallory", now()).unwrap_err();
    assert!(refused.contains("holds none of the roles"), "{refused}");
}

#[test]
fn a_later_policy_needs_a_publisher_of_the_one_before() {
    let current = team();
    let mut grab = team();
    grab.roles[0].holders.push("mallory".into());
    // Mallory grants himself the role: his key holds no publisher role in
    // the policy in force.
    let refused = signed(grab.clone(), &key(2))
        .accept(Some(&current), "mallory", now())
        .unwrap_err();
    assert!(refused.contains("holds none of the roles"), "{refused}");
    // A key of his own, registered only in the new policy, is no one's.
    let mut swapped = grab.clone();
    swapped.operators[0] = person("alice", &key(3));
    let refused = signed(swapped, &key(3))
        .accept(Some(&current), "alice", now())
        .unwrap_err();
    assert!(refused.contains("which is no operator's"), "{refused}");
    // Alice, the tech lead, may.
    let accepted = signed(grab, &key(1)).accept(Some(&current), "alice", now());
    assert_eq!(accepted, Ok(Accepted::ByPublisher));
}

#[test]
fn a_policy_changed_after_it_was_signed_or_named_for_another_is_refused() {
    let mut published = signed(team(), &key(1));
    published.policy.roles[0].holders.push("mallory".into());
    let refused = published.accept(None, "alice", now()).unwrap_err();
    assert!(refused.contains("own signature does not hold"), "{refused}");
    let refused = signed(team(), &key(1))
        .accept(Some(&team()), "mallory", now())
        .unwrap_err();
    assert!(refused.contains("names mallory"), "{refused}");
}

#[test]
fn a_published_policy_replaces_the_sites_roles_and_keys_and_says_how_they_differ() {
    let mut sources = crate::catalog::Sources::default();
    let site = format!(
        "[identity]\nrequire = \"none\"\n\n[[role]]\nid = \"tech-lead\"\ntitle = \"Tech lead\"\nholders = [\"alice\", \"mallory\"]\n\n[[operator]]\nid = \"mallory\"\nkeys = [\"{}\"]\n",
        key(4).public_key().to_openssh().unwrap()
    );
    sources.add("site.toml", &site);
    let loaded = crate::catalog::load(sources);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let mut catalog = loaded.catalog;
    let policy = team();
    let said = policy.differences(&catalog);
    assert!(
        said.contains(
            &"the site gives `mallory` role `tech-lead`, which the journal's policy does not"
                .to_owned()
        ),
        "{said:?}"
    );
    assert!(
        said.iter().any(|s| s.contains("the site requires `none`")),
        "{said:?}"
    );
    assert!(said.iter().any(|s| s.contains("key SHA256:")), "{said:?}");
    policy.apply(&mut catalog);
    assert_eq!(catalog.require, Require::Signature);
    assert!(catalog.roles_of("mallory").next().is_none());
    assert_eq!(catalog.roles_of("alice").count(), 1);
    assert_eq!(
        catalog.registry().owner(&fingerprint_of(&key(4)), now()),
        super::super::registry::Owner::Unknown
    );
    assert!(policy.differences(&catalog).is_empty());
}
