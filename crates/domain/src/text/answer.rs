//! What an operator's typed answer says, the same wherever they are asked.

/// Whether a typed answer says yes, in either language: a French operator
/// may type `yes` and a script written in English keeps working under a
/// French console. Whole words only: a stray key never confirms.
pub fn is_yes(answer: &str) -> bool {
    let answer = answer.trim();
    ["yes", "oui"]
        .iter()
        .any(|word| answer.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_is_the_same_word_in_both_languages_and_nothing_else_is() {
        for yes in ["yes", "YES", " oui\n", "Oui"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "no", "non", "y", "o", "yess", "ok", "f", "oui oui"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
