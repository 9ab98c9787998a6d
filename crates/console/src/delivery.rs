//! The notifications sent beside the console: the sending service, when
//! the catalog has targets, and where it stood at the last look.

use crate::notify::{Handle, Status};

#[derive(Debug, Default)]
pub struct Delivery {
    service: Option<Handle>,
    /// Where the notifications stood at the last look.
    pub status: Option<Status>,
}

impl Delivery {
    pub fn new(service: Option<Handle>) -> Self {
        Delivery {
            service,
            status: None,
        }
    }

    /// Looks at where the notifications stand; true when it changed.
    pub fn refresh(&mut self) -> bool {
        let Some(status) = self.service.as_ref().and_then(Handle::status) else {
            return false;
        };
        if self.status.as_ref() == Some(&status) {
            return false;
        }
        self.status = Some(status);
        true
    }

    /// Something was recorded: the service looks at once.
    pub fn nudge(&self) {
        if let Some(service) = &self.service {
            service.nudge();
        }
    }
}
