//! Calls that today's service answers UNIMPLEMENTED (ListArtifacts, as the results guide says;
//! CancelThread, as the service does): their commands say so in one plain sentence.

use crate::client::{CallError, CallErrorKind};
use crate::error::{CliError, ExitStatus};

/// UNIMPLEMENTED becomes one plain sentence (exit 5); anything else is left as it is.
pub fn unimplemented_plainly(err: CallError, message: &str) -> anyhow::Error {
    if err.kind == CallErrorKind::Unimplemented {
        CliError::new(ExitStatus::ServerRefused, message).into()
    } else {
        err.into()
    }
}
