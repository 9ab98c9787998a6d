use super::*;
fn bundled() -> crate::catalog::Catalog {
    let loaded = crate::catalog::load_bundled();
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    loaded.catalog
}

#[test]
fn every_bundled_procedure_pins_to_the_bytes_of_its_hash_and_reads_back_whole() {
    let catalog = bundled();
    assert!(catalog.procedures.len() > 10);
    for procedure in &catalog.procedures {
        let pinned = Pinned::of(procedure);
        assert_eq!(pinned.hash(), procedure.content_hash, "{}", procedure.id);
        let read = pinned.procedure(&procedure.content_hash).unwrap();
        // Read back, it pins to the same bytes: nothing judged is lost.
        assert_eq!(Pinned::of(&read), pinned, "{}", procedure.id);
        assert!(differences(procedure, &read).is_empty(), "{}", procedure.id);
    }
}

#[test]
fn a_pin_that_is_not_the_recorded_hash_is_not_read() {
    let catalog = bundled();
    let procedure = catalog.procedure("deploy").unwrap();
    let mut edited = procedure.clone();
    for step in edited.steps_mut() {
        step.role = None;
    }
    let forged = Pinned::of(&edited);
    let refused = forged.procedure(&procedure.content_hash).unwrap_err();
    assert!(refused.contains("hashes to"), "{refused}");
}

#[test]
fn differences_name_the_steps_and_fields_that_changed() {
    let catalog = bundled();
    let started = catalog.procedure("deploy").unwrap();
    let mut now = started.clone();
    let gated = now.steps().find(|s| s.gate.is_some()).unwrap().id.clone();
    for step in now.steps_mut() {
        if step.id == gated {
            step.gate = None;
            step.role = Some("anyone".into());
        }
    }
    let removed = now.sections[0].steps.remove(0).id;
    let said = differences(started, &now);
    assert!(
        said.contains(&format!("step `{removed}` was removed")),
        "{said:?}"
    );
    assert!(
        said.contains(&format!("step `{gated}`: `gate`, `role` changed")),
        "{said:?}"
    );
    assert_eq!(said.len(), 2, "{said:?}");
}
