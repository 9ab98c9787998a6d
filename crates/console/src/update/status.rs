//! The console's status update: typed as `STATUS [public] [IMPACT]
//! [+COMPONENT]... [WORDS]`; without words, the catalog's draft is put
//! in the line to edit, so at 3 a.m. the operator edits rather than
//! writes.

use super::Effect;
use crate::model::{Data, Input, Model, Overlay, Tone};
use crate::run::Command;
use crate::status_update::{Asked, compose};

pub(super) fn submit(model: &mut Model, data: &Data<'_>, mut input: Input) -> Vec<Effect> {
    let Some((_, state)) = data.run else {
        return Vec::new();
    };
    let asked = Asked::from_line(&input.text);
    match compose(data.catalog, state, &asked, data.lang) {
        Err(why) => {
            model.notify(Tone::Warning, why);
            model.overlay = Overlay::Input(input);
            Vec::new()
        }
        Ok(update) if asked.message.is_none() => {
            input.text = asked.line_with(&update.text);
            input.cursor = input.text.chars().count();
            model.overlay = Overlay::Input(input);
            Vec::new()
        }
        Ok(update) => {
            model.overlay = Overlay::None;
            vec![Effect::Execute(Command::Update(update))]
        }
    }
}
